"""Writes of view logging: a view event when a lesson is served, and the
beacon's report of how far it was read. (Daily roll-ups: analytics.rollups.)

The page carries the event's id signed together with the person and the
lesson; the beacon's report is accepted only with that signature, from that
person, for that lesson, while they may still see it.
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db.models import F
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from learning_series.models import LessonPage
from learning_series.visibility import SessionLike, page_visible_to

from .models import LessonView
from .recorders import get_view_recorder
from .selectors import viewer_snapshot

VIEW_TOKEN_SALT = "gofun.analytics.view"  # noqa: S105 -- a salt, not a secret
# A report for a view opened longer ago than a session can last is refused.
VIEW_TOKEN_MAX_AGE = datetime.timedelta(hours=12)
_RANDOM_BITS = 20


def new_view_id(*, now: datetime.datetime) -> int:
    """A view event id: milliseconds since the epoch, then 20 random bits.

    Ids grow with time (rows append to the table's index) and two processes
    making one in the same millisecond collide once in a million; within 63
    bits until the year 4200.
    """
    milliseconds = int(now.timestamp() * 1000)
    return (milliseconds << _RANDOM_BITS) | secrets.randbits(_RANDOM_BITS)


def view_token(*, view: LessonView) -> str:
    """The signed (view, lesson, person) the page hands to its beacon."""
    return signing.TimestampSigner(salt=VIEW_TOKEN_SALT).sign_object(
        [view.pk, view.lesson_id, view.user_id]
    )


def lesson_view_start(
    *, lesson: LessonPage, series, user, now: datetime.datetime | None = None
) -> LessonView | None:
    """Record that a person opened a lesson; the event, or None if not kept.

    Called while the lesson page is served, after the visibility rule let the
    person in (learning_series.extension_points.LESSON_SERVED). Costs one
    INSERT (where the person stands is cached); a failure is the recorder's
    to log, and the page is served all the same.
    """
    if not settings.GOFUN_VIEW_LOGGING or not getattr(user, "is_authenticated", False):
        return None
    now = now or timezone.now()
    snapshot = viewer_snapshot(user=user, day=timezone.localdate(now))
    view = LessonView(
        id=new_view_id(now=now),
        user_id=user.pk,
        lesson_id=lesson.pk,
        series_id=getattr(series, "pk", None),
        revision_id=lesson.live_revision_id,
        started_at=now,
        slide_count=min(lesson.slide_count, 32767),
        role_ids=snapshot.role_key,
        division_id=snapshot.division_id,
        post_id=snapshot.post_id,
    )
    return view if get_view_recorder().record(view) else None


class BeaconRefused(Exception):
    """A report the beacon endpoint refuses; `status` is the HTTP answer."""

    def __init__(self, message: str, *, status: int):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class ReadingProgress:
    furthest_slide: int
    read_through_slide: int
    seconds: int


def lesson_view_progress(
    *,
    token: str,
    lesson_id: int,
    user,
    progress: ReadingProgress,
    session: SessionLike = None,
) -> None:
    """Raise a view's furthest slide, read-through slide and time spent.

    Figures only ever grow (a late or repeated report changes nothing). The
    view must be the person's own (signed into their page), of this lesson,
    which they may still see, and the slides within its deck; anything else
    raises BeaconRefused and changes nothing.
    """
    try:
        payload = signing.TimestampSigner(salt=VIEW_TOKEN_SALT).unsign_object(
            token, max_age=VIEW_TOKEN_MAX_AGE
        )
        view_id, token_lesson_id, token_user_id = (int(part) for part in payload)
    except (signing.BadSignature, TypeError, ValueError) as error:
        raise BeaconRefused("bad or expired view token", status=400) from error
    if token_user_id != user.pk:
        raise BeaconRefused("another person's view", status=403)
    if token_lesson_id != lesson_id:
        raise BeaconRefused("the view is of another lesson", status=400)
    lesson = LessonPage.objects.filter(pk=lesson_id).first()
    if lesson is None or not page_visible_to(page=lesson, user=user, session=session):
        raise BeaconRefused("no such lesson", status=404)
    views = LessonView.objects.filter(pk=view_id, user_id=user.pk, lesson_id=lesson_id)

    def raise_figures() -> int:
        return views.filter(slide_count__gte=progress.furthest_slide).update(
            furthest_slide=Greatest(
                Coalesce(F("furthest_slide"), 0), progress.furthest_slide
            ),
            read_through_slide=Greatest(
                Coalesce(F("read_through_slide"), 0), progress.read_through_slide
            ),
            seconds_spent=Greatest(Coalesce(F("seconds_spent"), 0), progress.seconds),
        )

    if raise_figures():
        return
    # A queuing recorder may still hold the event in this process.
    if get_view_recorder().flush() and raise_figures():
        return
    if views.exists():
        raise BeaconRefused("slide past the end of the deck", status=400)
    raise BeaconRefused("no such view", status=404)
