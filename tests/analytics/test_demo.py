"""The demo: a year of simulated reading that tells a story on first run."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Sum

from analytics.demo import TOTAL_VIEWS, analytics_demo_load
from analytics.models import LessonDayRollup, LessonView, RollupDay
from cms.demo import DemoReport
from learning_series.demo import learning_series_demo_load
from organisation.demo import organisation_demo_load
from organisation.models import JobRole, Post
from search.models import SearchQuery

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The organisation, the twelve series and the views, loaded once for the
    module in a transaction undone at its end (quizzes' simulated attempts
    are left out: the views stand without them)."""
    with django_db_blocker.unblock(), transaction.atomic():
        report = DemoReport()
        organisation_demo_load(report)
        learning_series_demo_load(report)
        analytics_demo_load(report)
        output = StringIO()
        call_command("needs_report", "--json", stdout=output)
        yield report, json.loads(output.getvalue())
        transaction.set_rollback(True)


def test_the_total_is_the_seeds_and_the_series_add_up_to_it(demo):
    _, figures = demo

    assert figures["total_views"] == TOTAL_VIEWS == 44_261
    assert len(figures["series"]) == 12
    assert sum(row["views"] for row in figures["series"]) == figures["total_views"]


def test_no_breakdown_shows_a_group_of_fewer_than_five(demo):
    _, figures = demo

    for key in ("by_role", "by_division", "by_post"):
        assert figures[key], key
        assert all(row["unique_viewers"] >= 5 for row in figures[key]), key


def share(lesson_slug: str, **group) -> float:
    rows = LessonDayRollup.objects.filter(lesson__slug=lesson_slug)
    total = rows.aggregate(views=Sum("views"))["views"]
    return rows.filter(**group).aggregate(views=Sum("views"))["views"] / total


def test_who_reads_what_differs_by_role_post_and_lesson(demo):
    _, figures = demo
    pjmo = f",{JobRole.objects.get(code='pjmo').pk},"
    missions = Post.objects.filter(kind=Post.Kind.MISSION)

    # PJMO are one in six of the staff but most readers of their own lesson.
    assert share("pjmo-basics-1", role_key__contains=pjmo) > 0.5
    assert share("passwords-1", role_key__contains=pjmo) < 0.3
    # Staff at missions read about telework more than about documents.
    assert share("telework-threats-1", post__in=missions) > 2 * share(
        "document-management-1", post__in=missions
    )
    shares = [row["reached_last_share"] for row in figures["lessons"]]
    assert min(shares) < 0.6 < max(shares)  # some lessons lose readers


def test_the_story_has_searches_hard_questions_and_topics(demo):
    _, figures = demo

    assert figures["zero_result_queries"][0]["query"] == "usb 持ち出し"  # ＵＳＢ too
    assert figures["zero_result_queries"][0]["searches"] == 36
    assert figures["suggested_topics"]
    assert all(topic["evidence"] for topic in figures["suggested_topics"])


def test_every_day_of_the_year_is_rolled_up(demo):
    assert RollupDay.objects.count() >= 365
    assert LessonView.objects.filter(furthest_slide__isnull=True).count() > 1000


def test_loading_again_adds_nothing(demo):
    views, searches = LessonView.objects.count(), SearchQuery.objects.count()

    analytics_demo_load(DemoReport())

    assert (LessonView.objects.count(), SearchQuery.objects.count()) == (
        views,
        searches,
    )
