"""Reads for view logging: where a viewer stands, whether a reading counts,
and the view counts staff see."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cms import cache_versions
from learning_series.models import LessonPage, SeriesPage
from learning_series.visibility import (
    SessionLike,
    lessons_visible_to,
    restriction_key_for,
)
from organisation.selectors import staff_snapshot

from .models import LessonView, LessonViewTotal, role_key
from .recorders import get_view_recorder

# Where a person stands changes a few times a year; caching it keeps the view
# event to one INSERT. Changes to a profile or its roles drop the entry
# (analytics.signal_handlers); another process may keep its copy this long.
SNAPSHOT_SECONDS = 600


@dataclass(frozen=True)
class ViewerSnapshot:
    division_id: int | None
    post_id: int | None
    role_key: str


def _snapshot_cache_key(user_id: int, day: datetime.date) -> str:
    return f"gofun:analytics:viewer:{user_id}:{day.isoformat()}"


def viewer_snapshot(*, user, day: datetime.date | None = None) -> ViewerSnapshot:
    """A person's division, post and job roles on a day (today by default),
    as a view event records them."""
    day = day or timezone.localdate()
    key = _snapshot_cache_key(user.pk, day)
    cached = cache.get(key)
    if cached is not None:
        return ViewerSnapshot(*cached)
    snapshot = staff_snapshot(user=user, on=day)
    result = ViewerSnapshot(
        division_id=snapshot.division_id,
        post_id=snapshot.post_id,
        role_key=role_key(snapshot.role_ids),
    )
    cache.set(
        key, (result.division_id, result.post_id, result.role_key), SNAPSHOT_SECONDS
    )
    return result


def viewer_snapshot_forget(*, user_id: int) -> None:
    """Drop a person's cached snapshot for today (their profile changed)."""
    today = timezone.localdate()
    cache.delete_many(
        [
            _snapshot_cache_key(user_id, today + datetime.timedelta(days=offset))
            for offset in (-1, 0, 1)
        ]
    )


def reading_refusal_for(
    *, lesson: LessonPage, user, now: datetime.datetime | None = None
) -> str | None:
    """None when this person's reading of the lesson's live revision is
    enough to record that they read it to the end, else why not.

    Enough is a view of that revision that went through every slide, in order
    from the first, or — a page read without JavaScript, which sends no slide
    — a view opened at least a third of the estimated reading time ago.
    """
    if not settings.GOFUN_VIEW_LOGGING:
        return _(
            "Views are not being recorded at the moment, so reading to the end "
            "cannot be confirmed."
        )
    now = now or timezone.now()
    # A queuing recorder may still hold this process's latest views.
    get_view_recorder().flush()
    views = list(
        LessonView.objects.filter(
            user_id=user.pk,
            lesson_id=lesson.pk,
            revision_id=lesson.live_revision_id,
        )
        .order_by("-started_at")
        .values("started_at", "slide_count", "furthest_slide", "read_through_slide")[
            :50
        ]
    )
    if not views:
        return _(
            "Open the lesson and read it to the last slide first. Nothing has "
            "been recorded."
        )
    minimum = datetime.timedelta(seconds=lesson.reading_seconds / 3)
    for view in views:
        through = view["read_through_slide"]
        if through is not None and through >= view["slide_count"]:
            return None
        if view["furthest_slide"] is None and now - view["started_at"] >= minimum:
            return None
    latest = views[0]
    if latest["furthest_slide"] is not None:
        return _(
            "You have read through slide %(slide)d of %(total)d. Read every slide "
            "to the last one, then press this again. Nothing has been recorded."
        ) % {"slide": latest["read_through_slide"] or 0, "total": latest["slide_count"]}
    return _(
        "This lesson takes about %(minutes)d minutes to read and was opened only "
        "a moment ago. Read it to the end first. Nothing has been recorded."
    ) % {"minutes": lesson.reading_minutes}


def page_view_counts(*, pages, user, session: SessionLike = None) -> dict[int, int]:
    """Views of each lesson, and of each series' lessons this person may see,
    from the roll-ups (「閲覧 1,234 回」). Two or three queries, cached until
    the roll-up rewrites the totals or the tree changes, shared by everyone
    kept out of the same restricted paths."""
    pages = list(pages)
    key = "gofun:analytics:view-counts:" + cache_versions.digest(
        cache_versions.current_many(cache_versions.VIEW_TOTALS, cache_versions.TREE),
        restriction_key_for(user=user, session=session),
        *sorted(f"{type(page).__name__}{page.pk}" for page in pages),
    )
    return cache.get_or_set(
        key,
        lambda: _page_view_counts(pages=pages, user=user, session=session),
        timeout=cache_versions.KEEP_SECONDS,
    )


def _page_view_counts(*, pages, user, session: SessionLike) -> dict[int, int]:
    series_paths = {
        page.pk: page.path for page in pages if isinstance(page, SeriesPage)
    }
    lesson_ids = {page.pk for page in pages if isinstance(page, LessonPage)}
    lessons_by_series: dict[int, list[int]] = {}
    if series_paths:
        under = Q()
        for path in series_paths.values():
            under |= Q(path__startswith=path)
        by_path = {path: pk for pk, path in series_paths.items()}
        for lesson_id, path in (
            lessons_visible_to(user=user, session=session)
            .filter(under)
            .values_list("pk", "path")
        ):
            series_id = by_path.get(path[: -LessonPage.steplen])
            if series_id is not None:
                lessons_by_series.setdefault(series_id, []).append(lesson_id)
    wanted = lesson_ids | {
        lesson_id for ids in lessons_by_series.values() for lesson_id in ids
    }
    totals = (
        dict(
            LessonViewTotal.objects.filter(lesson_id__in=wanted).values_list(
                "lesson_id", "views"
            )
        )
        if wanted
        else {}
    )
    counts = {lesson_id: totals.get(lesson_id, 0) for lesson_id in lesson_ids}
    for series_id in series_paths:
        counts[series_id] = sum(
            totals.get(lesson_id, 0)
            for lesson_id in lessons_by_series.get(series_id, ())
        )
    return counts
