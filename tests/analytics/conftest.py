import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from analytics.models import LessonView
from analytics.rollups import rollup_days
from analytics.services import new_view_id
from tests.factories import DivisionFactory, PostFactory, StaffProfileFactory


@pytest.fixture(autouse=True)
def _rollups_run_inline(settings):
    """Run the catch-up the dashboard queues at once.

    The site queues it for the worker (django-tasks-db) and shows the roll-ups
    as they stand; these tests are about the figures once it has run, not
    about the queue, which tests/cms/test_worker.py drives with a real worker.
    """
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Where a viewer stands is cached per person id; ids come round again
    # between tests.
    cache.clear()
    yield
    cache.clear()


def make_view(
    *,
    lesson,
    user,
    at: datetime.datetime | None = None,
    furthest: int | None = None,
    through: int | None = None,
    seconds: int | None = None,
    roles: str = "",
    division=None,
    post=None,
    revision_id=None,
) -> LessonView:
    """A view event as the lesson page and its beacon would leave it."""
    at = at or timezone.now()
    return LessonView.objects.create(
        id=new_view_id(now=at),
        user=user,
        lesson=lesson,
        series_id=lesson.get_parent().pk,
        revision_id=revision_id or lesson.live_revision_id,
        started_at=at,
        slide_count=lesson.slide_count,
        furthest_slide=furthest,
        read_through_slide=through if through is not None else furthest,
        seconds_spent=seconds,
        role_ids=roles,
        division=division,
        post=post,
    )


def staff(username: str, *, division: str = "総務課", post: str = "本省", roles=()):
    """A member of staff in a division and post, holding job roles (codes)."""
    code = {"総務課": "ga", "会計課": "ac", "人事課": "pe"}.get(division, division)
    return StaffProfileFactory(
        user__username=username,
        division=DivisionFactory(code=code, name=division),
        post=PostFactory(name=post),
        roles=list(roles) or None,
    ).user


def at_noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def rolled_up(*days: datetime.date) -> None:
    rollup_days(days=days)
