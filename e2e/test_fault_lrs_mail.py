"""Fault: the LRS and the mail server are down for a while.

With Ralph (`lrs`) and the SMTP sink (`smtp`) stopped, new ledger rows are
appended (attendance at an external training, recorded as a training admin
would) and the day's training reminders are run (as cron would). The worker
tries to push the rows and fails; the reminders run sends nothing and marks
each mail failed. Then both come back, and without anyone stepping in the
outbox catches up; the next reminders run sends what failed. Afterwards:
every ledger row sent is in Ralph's store exactly once, every mail that
failed arrived exactly once, and a further run sends nothing again.

The reminders run for a day of their own (`--today`, eleven days ahead or
a week after the last day any run used), so whatever other tests sent today
does not hide the mails this one needs.
"""

from __future__ import annotations

import datetime
import json
import time
from collections import Counter

import pytest

from e2e.stack import Stack

NEW_RECORDS = 5
# Bounds on waiting for the worker (its retries back off to
# GOFUN_LRS_RETRY_MAX_DELAY, 10 s on the stack); nothing asserts on time.
WAIT_SECONDS = 180

APPEND_RECORDS = """
import json, random
from django.contrib.auth import get_user_model
from django.utils import timezone
from training.models import ExternalTraining
from training.services import TrainingError, completion_record_external

User = get_user_model()
trainer = User.objects.get(username="trainer")
training = ExternalTraining.objects.order_by("pk").first()
people = User.objects.filter(
    is_active=True, staff_profile__staff_number__isnull=False
).order_by("pk")[:%(count)d]
made = []
for person in people:
    for _ in range(50):
        day = timezone.localdate() - timezone.timedelta(days=random.randint(30, 3000))
        try:
            record = completion_record_external(
                user=person, external_training=training, completed_on=day, by=trainer
            )
        except TrainingError:
            continue
        made.append(record.pk)
        break
print(json.dumps(made))
"""


def outbox(stack: Stack, record_ids: list[int]) -> list[tuple]:
    return stack.sql(
        "SELECT record_id, status, attempts, statement_id::text "
        "FROM hr_export_lrsoutboxentry WHERE record_id = ANY(%s) ORDER BY record_id",
        record_ids,
    )


def outbox_if(
    stack: Stack, record_ids: list[int], *, status: str, min_attempts: int = 0
) -> list[tuple] | None:
    """The rows' outbox entries once each has `status` (and at least
    `min_attempts` failed attempts); None until then."""
    rows = outbox(stack, record_ids)
    if len(rows) == len(record_ids) and all(
        row_status == status and attempts >= min_attempts
        for _, row_status, attempts, _ in rows
    ):
        return rows
    return None


def wait_for(condition, *, what: str):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(1)
    pytest.fail(f"gave up waiting for {what}")


def ralph_statement_ids(stack: Stack) -> Counter:
    """Statement ids in Ralph's own store (its file-system backend's file),
    counted: a statement stored twice shows up here even if the API hid it."""
    store = stack.dir / "lrs" / "data"
    ids: Counter = Counter()
    for path in store.glob("*.jsonl"):
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                ids[json.loads(line)["id"]] += 1
    return ids


def unused_reminder_day(stack: Stack) -> str:
    """Eleven days ahead, or a week and a day after the last day any run
    used (a person is reminded at most weekly), whichever is later."""
    (last,) = stack.sql("SELECT max(day) FROM reminders_remindermail")[0]
    day = datetime.date.today() + datetime.timedelta(days=11)
    if last is not None:
        day = max(day, last + datetime.timedelta(days=8))
    return day.isoformat()


def reminders(stack: Stack, day: str) -> dict:
    result = stack.manage("send_training_reminders", "--json", "--today", day)
    return json.loads(result.stdout.strip().splitlines()[-1])


def reminder_rows(stack: Stack, day: str) -> list[tuple]:
    return stack.sql(
        "SELECT id, state, attempts, message_id FROM reminders_remindermail "
        "WHERE day = %s ORDER BY id",
        day,
    )


def test_lrs_and_mail_down_for_a_while_catch_up_once(stack: Stack):
    day = unused_reminder_day(stack)
    stack.stop("lrs")
    stack.stop("smtp")
    try:
        made = json.loads(
            stack.manage("shell", "-c", APPEND_RECORDS % {"count": NEW_RECORDS})
            .stdout.strip()
            .splitlines()[-1]
        )
        assert len(made) == NEW_RECORDS
        # The worker tried to push each new row and the LRS was not there.
        tried = wait_for(
            lambda: outbox_if(stack, made, status="pending", min_attempts=1),
            what="the worker's failed pushes",
        )
        assert all(status == "pending" for _, status, _, _ in tried)

        during = reminders(stack, day)
        assert during["sent"] == 0
        failed = reminder_rows(stack, day)
        assert failed, "no reminder was due on the reminder day"
        assert {state for _, state, _, _ in failed} == {"failed"}
    finally:
        stack.start("smtp")
        stack.start("lrs")

    # The outbox catches up by itself (the worker's retry), nothing re-sent.
    sent = wait_for(
        lambda: outbox_if(stack, made, status="sent"),
        what="the outbox to catch up",
    )
    in_ralph = ralph_statement_ids(stack)
    for _, _, _, statement_id in sent:
        assert in_ralph[statement_id] == 1, statement_id
    every_sent = stack.sql(
        "SELECT statement_id::text FROM hr_export_lrsoutboxentry WHERE status = 'sent'"
    )
    assert all(in_ralph[statement_id] == 1 for (statement_id,) in every_sent)
    assert [i for i, count in in_ralph.items() if count > 1] == []

    # The next reminders run (cron's, say) sends what failed, once.
    mails_before = len(stack.mails())
    after = reminders(stack, day)
    assert after["sent"] == len(failed)
    rows = reminder_rows(stack, day)
    assert {state for _, state, _, _ in rows} == {"sent"}
    assert [row_id for row_id, *_ in rows] == [row_id for row_id, *_ in failed]
    again = reminders(stack, day)
    assert again["sent"] == 0

    received = Counter(mail["Message-ID"] for mail in stack.mails()[mails_before:])
    expected = {message_id for *_, message_id in rows}
    assert set(received) == expected
    assert set(received.values()) == {1}
