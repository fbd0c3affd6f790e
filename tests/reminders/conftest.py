"""Reminder fixtures: a division with its manager, a mandatory series and
people whose requirement falls due on a chosen day."""

from __future__ import annotations

import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend

from tests.factories import DivisionFactory, UserFactory, make_lesson, make_series
from tests.training.conftest import (
    after_joining,
    days,
    make_curriculum,
    person,
    sync,
    today,
)
from training.models import Requirement

FAILING = "tests.reminders.conftest.FailingBackend"
FAILING_FIRST = "tests.reminders.conftest.FailingFirstBackend"


class FailingBackend(BaseEmailBackend):
    """An SMTP server that refuses every message."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPException("451 Temporary local problem")


class FailingFirstBackend(LocmemBackend):
    """Refuses the first `failures` messages (across connections), then
    delivers to django.core.mail.outbox."""

    failures = 0

    def send_messages(self, messages):
        if FailingFirstBackend.failures > 0:
            FailingFirstBackend.failures -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def outbox(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    return mail.outbox


@pytest.fixture
def reminder_days(settings):
    settings.GOFUN_REMINDER_DAYS_BEFORE = 7
    settings.GOFUN_ESCALATION_DAYS_OVERDUE = 14


@pytest.fixture
def security_course(db):
    series = make_series(title="情報セキュリティの基本ルール", slug="security")
    make_lesson(series=series, title="情報の格付け")
    return series


@pytest.fixture
def mandatory_course(security_course):
    return make_curriculum(items=[{"series": security_course, **after_joining(30)}])


@pytest.fixture
def manager(db):
    return UserFactory(username="kacho", first_name="総務 課長")


@pytest.fixture
def division(manager):
    return DivisionFactory(code="general-affairs", name="総務課", manager=manager)


def staff(username, *, due_in: int, division, name=None, active=True, email=True):
    """A member of staff of `division` whose mandatory item falls due
    `due_in` days from today (negative: overdue)."""
    user = person(username, division=division, name=name or f"{username} さん")
    changed = []
    if not active:
        user.is_active = False
        changed.append("is_active")
    if not email:
        user.email = ""
        changed.append("email")
    if changed:
        user.save(update_fields=changed)
    sync(user_ids=[user.pk])
    Requirement.objects.filter(user=user).update(due_on=today() + days(due_in))
    return user


def requirement_of(user) -> Requirement:
    return Requirement.objects.active().get(user=user)
