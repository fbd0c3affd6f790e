"""The ニーズ分析 dashboard: who may see it, charts and tables without
JavaScript, the k rule, CSV exports, and bad input."""

import csv
import datetime
import io
import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from analytics.models import role_key
from organisation.models import JobRole
from tests.factories import make_lesson, make_series

from .conftest import make_view, staff

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("analytics_needs_dashboard")


@pytest.fixture
def readings():
    """Six people of 総務課 and two of 人事課 read a lesson today."""
    lesson = make_lesson(
        series=make_series(title='=HYPERLINK("http://x")', slug="csv"),
        title="@SUM(1+1) 教材",
        slides=3,
    )
    general = role_key(
        JobRole.objects.filter(code="general").values_list("pk", flat=True)
    )
    for number in range(8):
        division = "総務課" if number < 6 else "人事課"
        person = staff(f"reader-{number}", division=division, roles=["general"])
        profile = person.staff_profile
        make_view(
            lesson=lesson,
            user=person,
            furthest=3 if number % 2 else 1,
            seconds=60,
            roles=general,
            division=profile.division,
            post=profile.post,
        )
    return lesson


def test_editors_and_training_admins_see_the_dashboard(client, editor, training_admin):
    for person in (editor, training_admin):
        client.force_login(person)
        assert client.get(DASHBOARD).status_code == 200


def test_someone_in_the_admin_without_the_permission_is_refused(client, learner):
    learner.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(learner)

    response = client.get(DASHBOARD)

    assert response.status_code == 302  # Wagtail's "no permission" redirect
    assert response["Location"] == reverse("wagtailadmin_home")
    assert DASHBOARD not in client.get(reverse("wagtailadmin_home")).text


def test_the_menu_offers_it_under_reports(client, editor):
    client.force_login(editor)

    html = client.get(reverse("wagtailadmin_home")).text

    assert DASHBOARD in html


def test_charts_and_tables_are_drawn_without_javascript(client, editor, readings):
    client.force_login(editor)

    html = client.get(DASHBOARD).text

    main = html[html.index('class="nice-padding"') :]
    assert main.count("<svg") >= 5
    assert "<script" not in main.split("</main>")[0]
    assert 'role="img"' in main
    assert "<caption>シリーズ別の閲覧数</caption>" in main
    assert '<th scope="col">閲覧数</th>' in main
    assert '<th scope="row">' in main
    assert "cdn" not in main.lower()
    assert ' style="' not in main.split("</main>")[0]
    # The totals: eight views by eight people.
    assert re.search(r"<dt>閲覧数</dt><dd>8</dd>", main)
    assert re.search(r"<dt>閲覧者数</dt><dd>8</dd>", main)


def test_a_division_of_fewer_than_k_people_is_not_shown(client, editor, readings):
    client.force_login(editor)

    html = client.get(DASHBOARD).text

    assert "人事課" not in html
    # Hiding 人事課 alone would give it away: 総務課 is hidden with it.
    assert '<th scope="row">総務課</th>' not in html
    assert "2 件のグループを表示していません" in html


def csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_every_table_exports_as_csv_with_formulas_made_inert(client, editor, readings):
    client.force_login(editor)
    names = [
        "series",
        "lessons",
        "over_time",
        "by_role",
        "by_division",
        "by_post",
        "dropoff",
        "hardest_items",
        "zero_results",
        "suggested_topics",
    ]

    for name in names:
        response = client.get(DASHBOARD, {"export": name})
        assert response.status_code == 200, name
        assert response["Content-Type"].startswith("text/csv")
        assert csv_rows(response)[0], name

    series = csv_rows(client.get(DASHBOARD, {"export": "series"}))
    assert series[1][0] == '\'=HYPERLINK("http://x")'
    assert series[1][1] == "8"
    lessons = csv_rows(client.get(DASHBOARD, {"export": "lessons"}))
    assert lessons[1][0] == "'@SUM(1+1) 教材"


def test_the_range_narrows_the_figures(client, editor, readings):
    client.force_login(editor)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    rows = csv_rows(
        client.get(
            DASHBOARD,
            {"since": "2025-01-01", "until": yesterday.isoformat(), "export": "series"},
        )
    )

    assert rows[1:] == []


@pytest.mark.parametrize(
    "query",
    [
        {"since": "2026-02-30"},
        {"until": "tomorrow"},
        {"since": "2026-06-10", "until": "2026-06-01"},
        {"since": "0001-01-01"},
        {"since": "1990-01-01", "until": "2026-01-01"},
        {"lesson": "abc"},
        {"lesson": "9" * 25},
        {"series": "-1"},
    ],
)
def test_bad_input_gets_a_message_not_an_error(client, editor, query):
    client.force_login(editor)

    page = client.get(DASHBOARD, query)
    export = client.get(DASHBOARD, {**query, "export": "series"})

    assert page.status_code == 400
    assert 'role="alert"' in page.text
    assert export.status_code == 400


def test_an_unknown_table_is_refused(client, editor):
    client.force_login(editor)

    assert client.get(DASHBOARD, {"export": "users"}).status_code == 400


def test_a_lesson_can_be_chosen_for_the_drop_off(client, editor, readings):
    client.force_login(editor)

    rows = csv_rows(
        client.get(DASHBOARD, {"lesson": str(readings.pk), "export": "dropoff"})
    )

    assert [row[:3] for row in rows[1:]] == [
        ["1", "スライド1", "8"],
        ["2", "スライド2", "4"],
        ["3", "スライド3", "4"],
    ]
