"""Daily roll-ups of view events, and the purge of raw events past retention.

A day (in the site's time zone) is rolled up by reading its view events and
the ledger's standing completions of that day, and replacing that day's rows
in one transaction: re-running a day gives the same rows, so any day can be
rolled up again (after a void in the ledger, or a missed night). A day whose
raw events have been purged keeps its roll-ups and is not rolled up again.

Groups are the set of job roles, the division and the post a person had:
from the view event for views (where they stood when they opened the lesson)
and from the person's profile and roles of that day for completions.

Written by hand: Wagtail has no aggregation of this kind; django-tasks runs
it (analytics.tasks) from the nightly `manage.py rollup_views` and when the
dashboard or `needs_report` is opened.
"""

from __future__ import annotations

import datetime
import logging
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, Min, Sum
from django.utils import timezone
from wagtail.models import Page

from organisation.models import RoleAssignment, StaffProfile
from training.models import CompletionRecord

from .bulk import insert_rows
from .models import (
    LessonDayRollup,
    LessonView,
    LessonViewTotal,
    RollupDay,
    SlideReachDay,
    role_key,
)
from .viewers import viewer_days_forget_before, viewer_days_mark

logger = logging.getLogger("gofun.analytics")

ROLLUP_FIELDS = [
    "day",
    "lesson",
    "series",
    "role_key",
    "division",
    "post",
    "views",
    "unique_viewers",
    "views_tracked",
    "reached_last",
    "timed_views",
    "median_seconds",
    "completions",
]
REACH_FIELDS = ["day", "lesson", "slide_number", "views_reached"]


def day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The first instant of a day and of the next, in the site's time zone."""
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(
        day + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    return start, end


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` months earlier (the month's last day if shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    following = datetime.date(year + (month == 12), month % 12 + 1, 1)
    last_day = (following - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(day.day, last_day))


def retention_start(*, today: datetime.date) -> datetime.date:
    """The first day whose raw view events are kept."""
    return months_before(today, settings.GOFUN_VIEW_RETENTION_MONTHS)


@dataclass
class _Cell:
    views: int = 0
    viewers: set = field(default_factory=set)
    tracked: int = 0
    reached_last: int = 0
    seconds: list = field(default_factory=list)
    completions: int = 0


@dataclass
class RollupOutcome:
    days: list[datetime.date] = field(default_factory=list)
    views: int = 0
    # Days left alone because their raw events are gone.
    kept: list[datetime.date] = field(default_factory=list)


def _series_of(lesson_ids: Iterable[int]) -> dict[int, int | None]:
    """Each lesson's series (its parent page) as the tree stands now."""
    paths = dict(Page.objects.filter(pk__in=set(lesson_ids)).values_list("pk", "path"))
    parents = dict(
        Page.objects.filter(
            path__in={path[: -Page.steplen] for path in paths.values()}
        ).values_list("path", "pk")
    )
    return {
        lesson_id: parents.get(path[: -Page.steplen])
        for lesson_id, path in paths.items()
    }


def _groups_on(
    user_ids: set[int], day: datetime.date
) -> dict[int, tuple[str, int | None, int | None]]:
    """(role set, division, post) of each person on a day, from their profile."""
    profiles = {
        profile_id: (user_id, division_id, post_id)
        for profile_id, user_id, division_id, post_id in StaffProfile.objects.filter(
            user_id__in=user_ids
        ).values_list("pk", "user_id", "division_id", "post_id")
    }
    roles: dict[int, list[int]] = defaultdict(list)
    for profile_id, role_id in (
        RoleAssignment.objects.held_on(day)
        .filter(profile_id__in=profiles)
        .values_list("profile_id", "role_id")
    ):
        roles[profile_id].append(role_id)
    groups: dict[int, tuple[str, int | None, int | None]] = dict.fromkeys(
        user_ids, ("", None, None)
    )
    for profile_id, (user_id, division_id, post_id) in profiles.items():
        groups[user_id] = (role_key(roles[profile_id]), division_id, post_id)
    return groups


def _lock_day(day: datetime.date, now: datetime.datetime) -> RollupDay:
    """The day's bookkeeping row, locked until the transaction ends, so two
    roll-ups of one day cannot interleave their deletes and inserts."""
    try:
        with transaction.atomic():
            RollupDay.objects.get_or_create(day=day, defaults={"rolled_up_at": now})
    except IntegrityError:
        pass  # made at the same moment by another roll-up of the day
    return RollupDay.objects.select_for_update().get(day=day)


def rollup_day(
    *, day: datetime.date, now: datetime.datetime | None = None
) -> tuple[int, set[int]] | None:
    """Roll up one day; return (views, lessons touched), or None when the
    day's raw events have been purged and its roll-ups are kept as they are."""
    now = now or timezone.now()
    start, end = day_bounds(day)
    with transaction.atomic():
        state = _lock_day(day, now)
        if state.raw_purged:
            return None
        cells: dict[tuple, _Cell] = defaultdict(_Cell)
        furthest_by_lesson: dict[int, Counter] = defaultdict(Counter)
        views = 0
        viewers = set()
        for (
            user_id,
            lesson_id,
            series_id,
            role_ids,
            division_id,
            post_id,
            slide_count,
            furthest,
            seconds,
        ) in (
            LessonView.objects.filter(started_at__gte=start, started_at__lt=end)
            .values_list(
                "user_id",
                "lesson_id",
                "series_id",
                "role_ids",
                "division_id",
                "post_id",
                "slide_count",
                "furthest_slide",
                "seconds_spent",
            )
            .iterator(chunk_size=5000)
        ):
            views += 1
            cell = cells[(lesson_id, series_id, role_ids, division_id, post_id)]
            cell.views += 1
            cell.viewers.add(user_id)
            viewers.add((user_id, lesson_id, series_id, role_ids, division_id, post_id))
            if furthest is not None:
                cell.tracked += 1
                cell.reached_last += furthest >= slide_count
                furthest_by_lesson[lesson_id][min(furthest, slide_count)] += 1
            if seconds is not None:
                cell.seconds.append(seconds)

        completed = list(
            CompletionRecord.objects.standing()
            .filter(
                recorded_at__gte=start, recorded_at__lt=end, lesson_id__isnull=False
            )
            .values_list("lesson_id", "user_id")
        )
        if completed:
            series = _series_of(lesson_id for lesson_id, _ in completed)
            groups = _groups_on({user_id for _, user_id in completed}, day)
            for lesson_id, user_id in completed:
                roles, division_id, post_id = groups[user_id]
                key = (lesson_id, series.get(lesson_id), roles, division_id, post_id)
                cells[key].completions += 1

        touched = set(
            LessonDayRollup.objects.filter(day=day).values_list("lesson_id", flat=True)
        )
        LessonDayRollup.objects.filter(day=day).delete()
        SlideReachDay.objects.filter(day=day).delete()
        insert_rows(
            LessonDayRollup,
            ROLLUP_FIELDS,
            (
                (
                    day,
                    lesson_id,
                    series_id,
                    roles,
                    division_id,
                    post_id,
                    cell.views,
                    len(cell.viewers),
                    cell.tracked,
                    cell.reached_last,
                    len(cell.seconds),
                    round(statistics.median(cell.seconds)) if cell.seconds else None,
                    cell.completions,
                )
                for (
                    lesson_id,
                    series_id,
                    roles,
                    division_id,
                    post_id,
                ), cell in cells.items()
            ),
        )
        reach_rows = []
        for lesson_id, furthest_counts in furthest_by_lesson.items():
            reached = 0
            for number in range(max(furthest_counts), 0, -1):
                reached += furthest_counts.get(number, 0)
                reach_rows.append((day, lesson_id, number, reached))
        insert_rows(SlideReachDay, REACH_FIELDS, reach_rows)
        viewer_days_mark(day=day, viewers=viewers)
        state.rolled_up_at = now
        state.complete = now >= end
        state.views = views
        state.save(update_fields=["rolled_up_at", "complete", "views"])
    touched |= {key[0] for key in cells}
    return views, touched


def lesson_view_totals_refresh(*, lesson_ids: Iterable[int]) -> None:
    """Recount the all-time views of these lessons from their roll-ups."""
    lesson_ids = sorted(set(lesson_ids))
    for offset in range(0, len(lesson_ids), 500):
        chunk = lesson_ids[offset : offset + 500]
        totals = dict(
            LessonDayRollup.objects.filter(lesson_id__in=chunk)
            .values("lesson_id")
            .annotate(total=Sum("views"))
            .order_by()
            .values_list("lesson_id", "total")
        )
        with transaction.atomic():
            LessonViewTotal.objects.filter(lesson_id__in=chunk).delete()
            LessonViewTotal.objects.bulk_create(
                LessonViewTotal(lesson_id=lesson_id, views=total)
                for lesson_id, total in totals.items()
                if total
            )


def rollup_days(
    *, days: Iterable[datetime.date], now: datetime.datetime | None = None
) -> RollupOutcome:
    """Roll up each day (each in its own transaction), then the totals."""
    now = now or timezone.now()
    outcome = RollupOutcome()
    touched: set[int] = set()
    for day in sorted(set(days)):
        result = rollup_day(day=day, now=now)
        if result is None:
            outcome.kept.append(day)
            continue
        views, lessons = result
        outcome.days.append(day)
        outcome.views += views
        touched |= lessons
    if touched:
        lesson_view_totals_refresh(lesson_ids=touched)
    return outcome


def days_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    return [
        first + datetime.timedelta(days=offset)
        for offset in range((last - first).days + 1)
    ]


def rollups_catch_up(*, now: datetime.datetime | None = None) -> RollupOutcome:
    """Roll up what is missing: days rolled up before they ended, every day
    since the last one rolled up, and today so far."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    days = set(
        RollupDay.objects.filter(complete=False, raw_purged=False).values_list(
            "day", flat=True
        )
    )
    latest = RollupDay.objects.aggregate(latest=Max("day"))["latest"]
    if latest is not None:
        first = latest + datetime.timedelta(days=1)
    else:
        earliest = LessonView.objects.aggregate(earliest=Min("started_at"))["earliest"]
        first = timezone.localdate(earliest) if earliest else today
    days |= set(days_between(first, today)) if first <= today else set()
    days.add(today)
    return rollup_days(days=days, now=now)


@dataclass
class PurgeOutcome:
    before: datetime.date
    events_deleted: int
    rolled_up_first: RollupOutcome


def view_events_purge(*, now: datetime.datetime | None = None) -> PurgeOutcome:
    """Delete raw view events older than the retention period (their days are
    rolled up first, if they were not); the roll-ups stay."""
    now = now or timezone.now()
    cutoff = retention_start(today=timezone.localdate(now))
    cutoff_start, _ = day_bounds(cutoff)
    earliest = LessonView.objects.filter(started_at__lt=cutoff_start).aggregate(
        earliest=Min("started_at")
    )["earliest"]
    missing: set[datetime.date] = set()
    if earliest is not None:
        done = set(
            RollupDay.objects.filter(day__lt=cutoff, complete=True).values_list(
                "day", flat=True
            )
        )
        missing = {
            day
            for day in days_between(
                timezone.localdate(earliest), cutoff - datetime.timedelta(days=1)
            )
            if day not in done
        }
    rolled_up = rollup_days(days=missing, now=now)
    with transaction.atomic():
        deleted, _ = LessonView.objects.filter(started_at__lt=cutoff_start).delete()
        viewer_days_forget_before(day=cutoff)
    RollupDay.objects.filter(day__lt=cutoff).update(raw_purged=True, complete=True)
    if deleted:
        logger.info("Purged %d view events from before %s", deleted, cutoff)
    return PurgeOutcome(
        before=cutoff, events_deleted=deleted, rolled_up_first=rolled_up
    )
