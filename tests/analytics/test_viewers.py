"""Who viewed what over a range of days, kept as days per person, lesson and
group (analytics.viewers): counted right over any range, rolled up again
without change, forgotten with the raw events."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.test import override_settings
from django.utils import timezone

from analytics.models import ViewerDays
from analytics.needs import needs_analysis
from analytics.rollups import retention_start, rollup_day, view_events_purge
from analytics.viewers import viewed_between, with_day
from tests.factories import make_lesson, make_series

from .conftest import at_noon, make_view, rolled_up, staff

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 5, 12)


def day(n: int) -> datetime.date:
    return DAY + datetime.timedelta(days=n)


@pytest.fixture
def lesson():
    return make_lesson(series=make_series(slug="viewers"), slides=4)


def unique_viewers(since, until) -> int:
    return needs_analysis(since=since, until=until).viewing.unique_viewers


def test_days_are_bits_from_the_first_day():
    first, bits = with_day(day(5), 0b1, day(7))
    assert (first, bits) == (day(5), 0b101)
    first, bits = with_day(first, bits, day(2))  # an earlier day moves the start
    assert (first, bits) == (day(2), 0b101001)
    assert viewed_between(first, bits, day(2), day(2))
    assert not viewed_between(first, bits, day(3), day(4))
    assert viewed_between(first, bits, day(3), day(5))
    assert viewed_between(first, bits, day(-10), day(2))
    assert not viewed_between(first, bits, day(-10), day(1))
    assert not viewed_between(first, bits, day(8), day(30))


def test_people_are_counted_only_for_the_days_in_the_range(lesson):
    early_and_late = staff("both-ends")
    middle = staff("middle")
    make_view(lesson=lesson, user=early_and_late, at=at_noon(day(0)))
    make_view(lesson=lesson, user=early_and_late, at=at_noon(day(9)))
    make_view(lesson=lesson, user=middle, at=at_noon(day(4)))
    rolled_up(day(9), day(0), day(4))  # in any order

    assert unique_viewers(day(0), day(9)) == 2
    assert unique_viewers(day(1), day(8)) == 1
    assert unique_viewers(day(5), day(8)) == 0
    assert unique_viewers(day(9), day(20)) == 1


def test_rolling_a_day_up_again_changes_nothing(lesson):
    person = staff("again")
    for n in (0, 3):
        make_view(lesson=lesson, user=person, at=at_noon(day(n)))
    rolled_up(day(0), day(3))
    rows = list(ViewerDays.objects.values_list("key", "first_day", "last_day", "days"))

    rollup_day(day=day(3))
    rollup_day(day=day(0))

    assert (
        list(ViewerDays.objects.values_list("key", "first_day", "last_day", "days"))
        == rows
    )
    assert len(rows) == 1
    assert unique_viewers(day(0), day(3)) == 1


def test_a_person_in_two_groups_is_one_person(lesson):
    person = staff("moved", division="総務課")
    make_view(lesson=lesson, user=person, at=at_noon(day(0)), division=None)
    make_view(
        lesson=lesson,
        user=person,
        at=at_noon(day(1)),
        division=person.staff_profile.division,
    )
    rolled_up(day(0), day(1))

    assert ViewerDays.objects.count() == 2
    assert unique_viewers(day(0), day(1)) == 1


@override_settings(GOFUN_VIEW_RETENTION_MONTHS=13)
def test_the_purge_forgets_the_days_it_deletes_the_events_of(lesson):
    cutoff = retention_start(today=timezone.localdate())
    gone = staff("gone")
    stays = staff("stays")
    make_view(lesson=lesson, user=gone, at=at_noon(cutoff - datetime.timedelta(3)))
    make_view(lesson=lesson, user=stays, at=at_noon(cutoff - datetime.timedelta(2)))
    make_view(lesson=lesson, user=stays, at=at_noon(cutoff + datetime.timedelta(1)))
    rolled_up(cutoff + datetime.timedelta(1))

    view_events_purge()

    [row] = ViewerDays.objects.all()
    assert row.user_id == stays.pk
    assert (row.first_day, row.last_day) == (cutoff, cutoff + datetime.timedelta(1))
    assert (
        viewed_between(
            row.first_day, int.from_bytes(bytes(row.days), "little"), cutoff, cutoff
        )
        is False
    )
    assert unique_viewers(cutoff, cutoff + datetime.timedelta(1)) == 1


def test_the_migration_fills_the_days_from_the_events_still_kept(lesson):
    person = staff("before-the-upgrade")
    make_view(lesson=lesson, user=person, at=at_noon(day(0)))
    make_view(lesson=lesson, user=person, at=at_noon(day(2)))
    migration = importlib.import_module("analytics.migrations.0003_viewer_days")

    migration.viewer_days_from_the_kept_events(apps, None)

    [row] = ViewerDays.objects.all()
    assert (row.first_day, row.last_day) == (day(0), day(2))
    assert int.from_bytes(bytes(row.days), "little") == 0b101
