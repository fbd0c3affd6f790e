"""Training fixtures: a mandatory series, curricula and the people who owe them."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from organisation.models import JobRole
from tests.factories import (
    StaffProfileFactory,
    make_lesson,
    make_series,
    record_reading,
)
from training.models import DueRule, ExternalTraining, Recurrence, Requirement
from training.requirements.services import curriculum_create, requirements_sync
from training.services import completion_record_read_to_end


@pytest.fixture(autouse=True)
def _requirement_tasks_run_inline(settings):
    """Run the requirement-sync and material-change tasks inline, as each
    commit happens.

    The site queues them for the worker (django-tasks-db); these tests are
    about the requirements they leave, not the queue, which
    tests/cms/test_worker.py drives with a real worker process.
    """
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }


def today() -> datetime.date:
    return timezone.localdate()


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def role(code: str) -> JobRole:
    return JobRole.objects.get(code=code)


def person(username: str, *, roles=("general",), since=None, joined=None, **extra):
    """A member of staff holding roles since a day (default: two years ago)."""
    since = since or today() - days(730)
    profile = StaffProfileFactory(
        user__username=username,
        user__first_name=extra.pop("name", f"{username} さん"),
        joined_on=joined or since,
        roles=list(roles),
        roles__since=since,
        **extra,
    )
    return profile.user


def read(lesson, user):
    """Complete a lesson without a checkpoint, as the learner does: read it
    through to the last slide, then 「読み終えました」."""
    record_reading(lesson=lesson, user=user)
    return completion_record_read_to_end(lesson=lesson, user=user)


def after_role(n: int) -> dict:
    return {"due_rule": DueRule.DAYS_AFTER_ROLE, "due_days": n}


def after_joining(n: int) -> dict:
    return {"due_rule": DueRule.DAYS_AFTER_JOINING, "due_days": n}


def fixed(day: datetime.date) -> dict:
    return {"due_rule": DueRule.FIXED_DATE, "due_date": day}


EVERY_YEAR = {"recurrence": Recurrence.FISCAL_YEAR}


def make_curriculum(*, items, role_code=None, name="", publish=True, user=None):
    return curriculum_create(
        name=name or (f"{role_code} curriculum" if role_code else "必修研修"),
        role=role(role_code) if role_code else None,
        for_all_staff=role_code is None,
        items=items,
        publish=publish,
        user=user,
    )


def owed(user, **filters):
    return Requirement.objects.active().filter(user=user, **filters)


def sync(**kwargs):
    return requirements_sync(**kwargs)


@pytest.fixture
def security_series():
    """情報セキュリティ: a series of two lessons read to the end."""
    series = make_series(
        title="情報セキュリティの基本ルール", slug="information-security"
    )
    first = make_lesson(series=series, title="情報の格付け")
    second = make_lesson(series=series, title="誤送信を防ぐ")
    series.test_lessons = [first, second]
    return series


@pytest.fixture
def pjmo_series():
    series = make_series(title="PJMOのためのプロジェクト管理入門", slug="pjmo-basics")
    series.test_lessons = [make_lesson(series=series, title="PJMOの役割")]
    return series


@pytest.fixture
def drill():
    return ExternalTraining.objects.create(
        name="標的型メール訓練", code="phishing-drill", kind="drill"
    )


@pytest.fixture
def mandatory(security_series, drill):
    """必修 for all staff: the security series yearly, the drill yearly."""
    return make_curriculum(
        items=[
            {"series": security_series, **after_joining(90), **EVERY_YEAR},
            {"external_training": drill, **after_joining(120), **EVERY_YEAR},
        ]
    )


@pytest.fixture
def pjmo_curriculum(pjmo_series, drill):
    """PJMO: the series within 30 days of gaining the role, the drill within 90."""
    return make_curriculum(
        role_code="pjmo",
        name="PJMO研修カリキュラム",
        items=[
            {"series": pjmo_series, **after_role(30)},
            {"external_training": drill, **after_role(90)},
        ],
    )
