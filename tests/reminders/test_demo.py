"""On the demo, reminders and escalations go out on any day it is loaded;
the same day again sends nothing; a mail server that fails the first run
gets every mail on the next, once (acceptance 1)."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from reminders.models import ReminderMail

# The demo once for this module, as training's demo tests load it.
from tests.training.test_demo import demo  # noqa: F401

from .conftest import FAILING_FIRST, FailingFirstBackend

pytestmark = pytest.mark.django_db


def remind(*args) -> dict:
    out = StringIO()
    call_command("send_training_reminders", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def test_the_demo_sends_reminders_and_escalations_once_a_day(demo, outbox):  # noqa: F811
    first = remind()
    second = remind()

    assert first["sent"] >= 5
    assert first["escalations"] >= 1
    assert second["sent"] == 0
    assert second["escalations"] == 0
    assert len(outbox) == first["sent"]
    recipients = {message.to[0] for message in outbox}
    assert "learner@example.go.jp" in recipients
    assert "manager-ga@example.go.jp" in recipients
    # The simulated staff are inactive and have no address: never mailed.
    assert not any(address.startswith("sim-") for address in recipients)
    assert first["skipped"] >= 200


def test_on_the_demo_a_failing_first_run_is_sent_on_the_next_once(
    demo,  # noqa: F811
    outbox,
    settings,
):
    settings.EMAIL_BACKEND = FAILING_FIRST
    FailingFirstBackend.failures = 10_000

    failed = remind()
    FailingFirstBackend.failures = 0
    retried = remind()
    again = remind()

    assert failed["sent"] == 0
    assert retried["sent"] >= 5
    assert retried["escalations"] >= 1
    assert again["sent"] == 0
    addresses = [message.to[0] for message in outbox]
    assert len(addresses) == len(set(addresses)) == retried["sent"]
    assert not ReminderMail.objects.exclude(state=ReminderMail.State.SENT).exists()
