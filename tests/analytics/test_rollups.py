"""Daily roll-ups: the figures per lesson, day and group; idempotent; the purge."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from analytics.models import (
    LessonDayRollup,
    LessonView,
    LessonViewTotal,
    RollupDay,
    SlideReachDay,
    role_key,
)
from analytics.rollups import (
    months_before,
    retention_start,
    rollup_day,
    rollup_days,
    rollups_catch_up,
    view_events_purge,
)
from organisation.models import JobRole
from tests.factories import make_lesson, make_series
from training.models import CompletionRecord
from training.services import completion_record_void

from .conftest import at_noon, make_view, staff

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 6, 10)


@pytest.fixture
def lesson():
    return make_lesson(series=make_series(slug="rollups"), slides=4)


def role_ids(*codes):
    return role_key(JobRole.objects.filter(code__in=codes).values_list("pk", flat=True))


def cells():
    return {
        (row.lesson_id, row.role_key, row.division_id): row
        for row in LessonDayRollup.objects.filter(day=DAY)
    }


def test_a_day_is_summed_per_lesson_and_group(lesson):
    ann = staff("ann", roles=["general"])
    bob = staff("bob", roles=["general"])
    division = ann.staff_profile.division
    general = role_ids("general")
    for person, furthest, seconds in (
        (ann, 4, 100),
        (ann, 2, 30),
        (bob, 4, 80),
        (bob, None, None),  # without JavaScript
    ):
        make_view(
            lesson=lesson,
            user=person,
            at=at_noon(DAY),
            furthest=furthest,
            seconds=seconds,
            roles=general,
            division=division,
        )

    rollup_day(day=DAY)

    [row] = LessonDayRollup.objects.filter(day=DAY)
    assert (row.lesson_id, row.series_id, row.role_key, row.division_id) == (
        lesson.pk,
        lesson.get_parent().pk,
        general,
        division.pk,
    )
    assert (row.views, row.unique_viewers) == (4, 2)
    assert (row.views_tracked, row.reached_last) == (3, 2)
    assert (row.timed_views, row.median_seconds) == (3, 80)


def test_groups_are_kept_apart(lesson):
    ann = staff("ann", division="総務課", roles=["general"])
    cal = staff("cal", division="会計課", roles=["general", "pjmo"])
    make_view(
        lesson=lesson,
        user=ann,
        at=at_noon(DAY),
        roles=role_ids("general"),
        division=ann.staff_profile.division,
    )
    make_view(
        lesson=lesson,
        user=cal,
        at=at_noon(DAY),
        roles=role_ids("general", "pjmo"),
        division=cal.staff_profile.division,
    )

    rollup_day(day=DAY)

    assert set(cells()) == {
        (lesson.pk, role_ids("general"), ann.staff_profile.division_id),
        (lesson.pk, role_ids("general", "pjmo"), cal.staff_profile.division_id),
    }
    assert sum(row.views for row in cells().values()) == 2


def test_views_of_other_days_are_left_out(lesson, learner):
    tokyo_midnight = timezone.make_aware(
        datetime.datetime.combine(DAY, datetime.time(0, 0))
    )
    make_view(lesson=lesson, user=learner, at=tokyo_midnight)
    make_view(
        lesson=lesson,
        user=learner,
        at=tokyo_midnight - datetime.timedelta(microseconds=1),
    )
    make_view(
        lesson=lesson, user=learner, at=tokyo_midnight + datetime.timedelta(days=1)
    )

    rollup_day(day=DAY)

    assert sum(row.views for row in cells().values()) == 1


def test_rolling_up_a_day_again_gives_the_same_rows(lesson, learner):
    for furthest in (1, 3, 4):
        make_view(lesson=lesson, user=learner, at=at_noon(DAY), furthest=furthest)
    rollup_day(day=DAY)
    first = list(
        LessonDayRollup.objects.values_list(
            "lesson_id", "views", "unique_viewers", "reached_last", "views_tracked"
        )
    )
    reach = list(SlideReachDay.objects.values_list("slide_number", "views_reached"))

    rollup_day(day=DAY)

    assert (
        list(
            LessonDayRollup.objects.values_list(
                "lesson_id", "views", "unique_viewers", "reached_last", "views_tracked"
            )
        )
        == first
    )
    assert sorted(
        SlideReachDay.objects.values_list("slide_number", "views_reached")
    ) == sorted(reach)


def test_slide_reach_counts_the_views_that_got_to_each_slide(lesson, learner):
    for furthest in (1, 2, 2, 4, 4, 4):
        make_view(lesson=lesson, user=learner, at=at_noon(DAY), furthest=furthest)
    make_view(lesson=lesson, user=learner, at=at_noon(DAY))  # no JavaScript

    rollup_day(day=DAY)

    assert dict(
        SlideReachDay.objects.filter(day=DAY).values_list(
            "slide_number", "views_reached"
        )
    ) == {1: 6, 2: 5, 3: 3, 4: 3}


def test_standing_completions_of_the_day_are_counted(lesson, learner):
    make_view(lesson=lesson, user=learner, at=at_noon(DAY), furthest=4, through=4)
    record = CompletionRecord.objects.create(
        kind=CompletionRecord.Kind.READ_TO_END, user=learner, lesson=lesson
    )
    day = timezone.localdate(record.recorded_at)

    rollup_day(day=day)
    assert LessonDayRollup.objects.filter(day=day).get().completions == 1

    admin = staff("ledger-admin")
    admin.is_superuser = True
    admin.save()
    completion_record_void(record=record, by=admin, reason="誤記録")
    rollup_day(day=day)

    assert sum(row.completions for row in LessonDayRollup.objects.filter(day=day)) == 0


def test_totals_count_every_day_rolled_up(lesson, learner):
    for day in (DAY, DAY + datetime.timedelta(days=1)):
        make_view(lesson=lesson, user=learner, at=at_noon(day))
        make_view(lesson=lesson, user=learner, at=at_noon(day))

    rollup_days(days=[DAY, DAY + datetime.timedelta(days=1)])

    assert LessonViewTotal.objects.get(lesson=lesson).views == 4


def test_catching_up_rolls_up_every_missing_day_and_today(lesson, learner):
    today = timezone.localdate()
    days = [today - datetime.timedelta(days=n) for n in (3, 1, 0)]
    for day in days:
        make_view(
            lesson=lesson, user=learner, at=at_noon(day) if day != today else None
        )
    rollup_day(day=days[0])

    outcome = rollups_catch_up()

    assert outcome.views == 2
    assert set(outcome.days) == {
        today - datetime.timedelta(days=2),
        days[1],
        today,
    }
    assert not RollupDay.objects.get(day=today).complete
    assert RollupDay.objects.get(day=days[1]).complete


def test_a_day_rolled_up_before_it_ended_is_rolled_up_again(lesson, learner):
    make_view(lesson=lesson, user=learner, at=at_noon(DAY))
    rollup_day(day=DAY, now=at_noon(DAY) + datetime.timedelta(minutes=5))
    make_view(
        lesson=lesson, user=learner, at=at_noon(DAY) + datetime.timedelta(hours=3)
    )

    rollups_catch_up()

    assert sum(row.views for row in cells().values()) == 2
    assert RollupDay.objects.get(day=DAY).complete


def test_months_before_keeps_the_day_or_the_end_of_a_shorter_month():
    assert months_before(datetime.date(2026, 5, 31), 13) == datetime.date(2025, 4, 30)
    assert months_before(datetime.date(2026, 3, 31), 1) == datetime.date(2026, 2, 28)
    assert months_before(datetime.date(2026, 1, 15), 13) == datetime.date(2024, 12, 15)


@override_settings(GOFUN_VIEW_RETENTION_MONTHS=13)
def test_the_purge_deletes_raw_events_past_retention_and_keeps_roll_ups(
    lesson, learner
):
    today = timezone.localdate()
    old_day = retention_start(today=today) - datetime.timedelta(days=1)
    kept_day = retention_start(today=today)
    make_view(lesson=lesson, user=learner, at=at_noon(old_day))
    make_view(lesson=lesson, user=learner, at=at_noon(kept_day))

    outcome = view_events_purge()

    assert outcome.events_deleted == 1
    assert old_day in outcome.rolled_up_first.days  # rolled up before deleting
    assert list(LessonView.objects.values_list("started_at", flat=True)) == [
        at_noon(kept_day)
    ]
    assert LessonDayRollup.objects.get(day=old_day).views == 1
    assert RollupDay.objects.get(day=old_day).raw_purged


def test_a_purged_day_keeps_its_roll_ups_when_rolled_up_again(lesson, learner):
    old_day = retention_start(today=timezone.localdate()) - datetime.timedelta(days=3)
    make_view(lesson=lesson, user=learner, at=at_noon(old_day))
    view_events_purge()

    assert rollup_day(day=old_day) is None
    assert LessonDayRollup.objects.get(day=old_day).views == 1


def test_the_command_rolls_up_a_range_again(lesson, learner):
    make_view(lesson=lesson, user=learner, at=at_noon(DAY))
    output = StringIO()

    call_command(
        "rollup_views",
        "--since",
        DAY.isoformat(),
        "--until",
        (DAY + datetime.timedelta(days=2)).isoformat(),
        "--no-purge",
        stdout=output,
    )

    assert "3 days (1 views)" in output.getvalue()
    assert LessonDayRollup.objects.get(day=DAY).views == 1


@pytest.mark.parametrize(
    "arguments",
    [
        ["--since", "2026-02-30"],
        ["--since", "yesterday"],
        ["--since", "2026-06-10", "--until", "2026-06-01"],
    ],
)
def test_the_command_refuses_bad_dates_with_status_2(arguments):
    with pytest.raises(CommandError) as refusal:
        call_command("rollup_views", *arguments, stderr=StringIO())

    assert refusal.value.returncode == 2


@pytest.mark.parametrize(
    "arguments",
    [
        ["--since", "0001-01-01", "--until", "0001-01-02"],
        ["--since", "9999-12-30", "--until", "9999-12-31"],
    ],
)
def test_the_command_refuses_days_outside_the_dashboards_range(arguments):
    # These overflowed the date arithmetic into a traceback.
    with pytest.raises(CommandError, match="2000-01-01") as refusal:
        call_command("rollup_views", *arguments, "--no-purge", stderr=StringIO())

    assert refusal.value.returncode == 2


def test_the_commands_refusals_are_in_japanese():
    with pytest.raises(CommandError, match="日付"):
        call_command("rollup_views", "--since", "yesterday", stderr=StringIO())
