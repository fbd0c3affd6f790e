"""The query log reports in the admin: frequent and zero-result searches."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from search.analysis import parse_query
from search.models import SearchQuery
from search.services import search_query_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def query_log(db):
    now = timezone.now()
    for query, results, times in (
        ("パスワード", 3, 4),
        ("VPN", 1, 2),
        ("ランサムウェア", 0, 3),
        ("生成AI 規則", 0, 1),
    ):
        for _ in range(times):
            SearchQuery.objects.create(
                query=query, query_folded=query, result_count=results, searched_at=now
            )


def report_rows(response) -> list[str]:
    table = response.content.decode().split("<tbody>")[1].split("</tbody>")[0]
    return [
        row.split("</td>")[0].split(">")[-1].strip() for row in table.split("<tr")[1:]
    ]


def test_editor_sees_queries_by_how_often_they_were_asked(client, editor, query_log):
    client.force_login(editor)

    response = client.get(reverse("gofun_search_reports:frequent"))

    assert response.status_code == 200
    assert report_rows(response) == [
        "パスワード",
        "ランサムウェア",
        "VPN",
        "生成AI 規則",
    ]


def test_zero_result_report_lists_only_queries_that_found_nothing(
    client, editor, query_log
):
    client.force_login(editor)

    response = client.get(reverse("gofun_search_reports:zero_results"))

    assert report_rows(response) == ["ランサムウェア", "生成AI 規則"]


def test_reports_appear_in_the_editors_reports_menu(client, editor):
    client.force_login(editor)

    body = client.get(reverse("wagtailadmin_home")).content.decode()

    # The sidebar is rendered from JSON, so look for the reports' addresses.
    assert reverse("gofun_search_reports:frequent") in body
    assert reverse("gofun_search_reports:zero_results") in body


def test_reports_are_not_in_the_authors_menu(client, author):
    client.force_login(author)

    body = client.get(reverse("wagtailadmin_home")).content.decode()

    assert reverse("gofun_search_reports:frequent") not in body


def test_author_cannot_read_the_query_log(client, author, query_log):
    client.force_login(author)

    response = client.get(reverse("gofun_search_reports:frequent"))

    assert response.status_code in (302, 403)
    assert "ランサムウェア" not in response.content.decode()


def test_frequent_searches_export_as_csv(client, editor, query_log):
    client.force_login(editor)

    response = client.get(reverse("gofun_search_reports:frequent"), {"export": "csv"})

    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[1].startswith("パスワード,4,3.0")


def record(text: str, *, results: int = 1, at: datetime | None = None):
    entry = search_query_record(
        query=parse_query(text), result_count=results, user=None
    )
    if at is not None:
        SearchQuery.objects.filter(pk=entry.pk).update(searched_at=at)
    return entry


def test_width_and_case_variants_are_one_row(client, editor):
    for text in ("ＵＳＢ", "USB", "usb", "Password", "password", "ｸﾗｳﾄﾞ", "クラウド"):
        record(text)
    client.force_login(editor)

    response = client.get(reverse("gofun_search_reports:frequent"))

    assert report_rows(response) == ["usb", "password", "クラウド"]


def test_zero_result_report_folds_width_and_case_too(client, editor):
    record("ＶＰＮ 接続", results=0)
    record("vpn 接続", results=0)
    client.force_login(editor)

    response = client.get(reverse("gofun_search_reports:zero_results"))

    assert report_rows(response) == ["vpn 接続"]


def test_date_filter_keeps_searches_made_in_the_period(client, editor):
    tokyo = timezone.get_default_timezone()
    record("パスワード", at=datetime(2026, 4, 1, 9, tzinfo=tokyo))
    record("VPN", at=datetime(2026, 4, 15, 23, tzinfo=tokyo))
    record("ランサムウェア", at=datetime(2026, 5, 1, 0, tzinfo=tokyo))
    client.force_login(editor)

    response = client.get(
        reverse("gofun_search_reports:frequent"),
        {"searched_at_from": "2026-04-10", "searched_at_to": "2026-04-30"},
    )

    assert response.status_code == 200
    assert report_rows(response) == ["vpn"]


def test_date_filter_applies_to_the_export(client, editor):
    tokyo = timezone.get_default_timezone()
    record("パスワード", at=datetime(2026, 4, 1, 9, tzinfo=tokyo))
    record("VPN", at=datetime(2026, 4, 15, 9, tzinfo=tokyo))
    client.force_login(editor)

    response = client.get(
        reverse("gofun_search_reports:frequent"),
        {"searched_at_from": "2026-04-10", "export": "csv"},
    )

    lines = b"".join(response.streaming_content).decode().splitlines()
    assert [line.split(",")[0] for line in lines[1:]] == ["vpn"]


@pytest.mark.parametrize(
    "params",
    [
        {"searched_at_from": "2026-13-45"},
        {"searched_at_from": "<script>", "searched_at_to": "x"},
        {"searched_at_to": "9999999-01-01"},
    ],
)
def test_a_bad_date_is_refused_without_an_error_page(client, editor, params):
    record("パスワード")
    client.force_login(editor)

    response = client.get(reverse("gofun_search_reports:frequent"), params)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    assert 'value="<script>"' not in html
    assert report_rows(response) == ["パスワード"]


def test_last_searched_shows_the_recorded_hour_in_the_sites_time_zone(client, editor):
    # 05:00 UTC is 14:00 in Tokyo; the log keeps the hour only.
    record("パスワード", at=datetime(2026, 4, 1, 5, tzinfo=UTC))
    client.force_login(editor)

    html = client.get(reverse("gofun_search_reports:frequent")).content.decode()

    assert "2026年4月1日 14:00〜15:00" in html


def test_exported_hour_is_the_recorded_hour_in_the_sites_time_zone(client, editor):
    record("パスワード", at=datetime(2026, 4, 1, 5, tzinfo=UTC))
    client.force_login(editor)

    response = client.get(reverse("gofun_search_reports:frequent"), {"export": "csv"})

    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[1].endswith("2026年4月1日 14:00〜15:00")


def test_recorded_hour_rolls_over_midnight():
    from search.views_admin import recorded_hour

    tokyo = timezone.get_default_timezone()

    assert recorded_hour(datetime(2026, 4, 1, 23, tzinfo=tokyo)).endswith(
        "23:00〜00:00"
    )
