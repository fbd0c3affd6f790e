"""Every CSV the project writes neutralises cells a spreadsheet would run."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from cms.spreadsheets import spreadsheet_safe
from search.analysis import fold
from search.models import SearchQuery
from tests.factories import UserFactory, make_lesson, make_series, record_reading
from tests.quizzes.conftest import make_quiz
from training.services import completion_record_read_to_end

pytestmark = pytest.mark.django_db

HOSTILE = [
    '=HYPERLINK("http://x","x")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
]


def csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(body)))


@pytest.mark.parametrize("value", HOSTILE)
def test_formula_starts_are_made_text(value):
    assert spreadsheet_safe(value) == "'" + value


@pytest.mark.parametrize("value", ["パスワード", "VPN", "1-2", 5, -3, None])
def test_other_values_are_left_alone(value):
    assert spreadsheet_safe(value) == value


def test_query_log_export_neutralises_queries(client, editor):
    for query in HOSTILE:
        SearchQuery.objects.create(
            query=query,
            query_folded=fold(query),
            result_count=0,
            searched_at=timezone.now(),
        )
    client.force_login(editor)

    for name in ("frequent", "zero_results"):
        response = client.get(
            reverse(f"gofun_search_reports:{name}"), {"export": "csv"}
        )
        cells = [row[0] for row in csv_rows(response)[1:]]
        assert sorted(cells) == sorted("'" + fold(value) for value in HOSTILE)


def test_ledger_export_neutralises_cells(client, django_user_model):
    learner = UserFactory(username="=cmd|' /C calc'!A0")
    lesson = make_lesson(series=make_series(slug="ledger-csv"), title="@教材")
    record_reading(lesson=lesson, user=learner)
    completion_record_read_to_end(lesson=lesson, user=learner)
    admin = django_user_model.objects.create_superuser("ledger-admin", password="x")
    client.force_login(admin)

    response = client.get(reverse("completion_ledger:index"), {"export": "csv"})

    rows = csv_rows(response)
    assert rows[1][1].startswith("'=")
    assert rows[1][3] == "'@教材"


def test_item_analysis_export_neutralises_quiz_titles(client, editor):
    make_quiz(title="-1+2 確認テスト")
    client.force_login(editor)

    response = client.get(reverse("quizzes_item_analysis"), {"export": "csv"})

    assert csv_rows(response)[1][0] == "'-1+2 確認テスト"


def test_csv_downloads_start_with_a_byte_order_mark_for_excel(client, editor):
    SearchQuery.objects.create(
        query="情報漏えい",
        query_folded=fold("情報漏えい"),
        result_count=0,
        searched_at=timezone.now(),
    )
    client.force_login(editor)

    response = client.get(reverse("gofun_search_reports:frequent"), {"export": "csv"})

    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    assert "情報漏えい" in body.decode("utf-8-sig")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
