"""The reminders as a background task (django-tasks)."""

import pytest

from reminders.models import ReminderMail
from reminders.tasks import send_training_reminders_task
from tests.training.conftest import days, today

from .conftest import staff

pytestmark = pytest.mark.django_db


def test_the_task_sends_the_day_s_reminders_once(
    mandatory_course, division, reminder_days, outbox
):
    learner = staff("learner", due_in=-3, division=division)
    day = (today() + days(1)).isoformat()

    first = send_training_reminders_task.call(today=day)
    second = send_training_reminders_task.call(today=day)

    assert first == {"sent": 1, "escalations": 0, "skipped": 0}
    assert second == {"sent": 0, "escalations": 0, "skipped": 0}
    assert [message.to for message in outbox] == [[learner.email]]
    assert ReminderMail.objects.get().day.isoformat() == day
