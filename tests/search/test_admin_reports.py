"""The query log reports in the admin: frequent and zero-result searches."""

import pytest
from django.urls import reverse
from django.utils import timezone

from search.models import SearchQuery

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
                query=query, result_count=results, searched_at=now
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
