"""The push to HR's Learning Record Store, against a real Ralph LRS."""

from __future__ import annotations

import datetime
import io
import json
import uuid

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from hr_export.models import LrsOutboxEntry
from hr_export.selectors import lrs_outbox_status
from hr_export.services import (
    lrs_outbox_fill,
    lrs_outbox_retry_rejected,
    lrs_outbox_send,
    lrs_push,
)
from hr_export.tasks import lrs_push_task
from hr_export.xapi import statement_id
from tests.factories import StaffProfileFactory, read_to_end

from .lrs_server import RalphLrs

pytestmark = pytest.mark.django_db

PUSH_TASK = "hr_export.tasks.lrs_push_task"


def ids_of(records, base_url) -> set[str]:
    return {str(statement_id(record_id=r.pk, base_url=base_url)) for r in records}


def named(ledger):
    return [r for r in ledger.records if r != ledger.nameless_read]


def entry_of(record) -> LrsOutboxEntry:
    return LrsOutboxEntry.objects.get(record=record)


def queue_a_statement_the_lrs_refuses(ledger) -> LrsOutboxEntry:
    """Queue the ledger, with the pass's statement missing its actor (kept
    in `broken.actor`)."""
    lrs_outbox_fill()
    broken = entry_of(ledger.passed)
    broken.actor = broken.statement.pop("actor")
    broken.save(update_fields=["statement"])
    return broken


def queued_pushes():
    return DBTaskResult.objects.filter(task_path=PUSH_TASK)


# --- Sending --------------------------------------------------------------


def test_push_sends_each_named_ledger_row_as_one_statement(ledger, lrs_site):
    report = lrs_push()

    assert (report.queued, report.sent, report.rejected) == (3, 3, 0)
    assert {s["id"] for s in lrs_site.stored()} == ids_of(
        named(ledger), lrs_site.base_url
    )
    assert set(LrsOutboxEntry.objects.values_list("status", flat=True)) == {"sent"}


def test_the_lrs_keeps_the_statement_as_sent(ledger, lrs_site):
    lrs_push()

    stored = {s["id"]: s for s in lrs_site.stored()}
    sent = entry_of(ledger.passed).statement
    held = stored[sent["id"]]
    assert held["verb"] == sent["verb"]
    assert held["object"] == sent["object"]
    assert held["result"]["score"]["scaled"] == sent["result"]["score"]["scaled"]
    void = stored[entry_of(ledger.void).statement["id"]]
    assert void["object"] == {"objectType": "StatementRef", "id": sent["id"]}


def test_sending_again_never_stores_a_statement_twice(ledger, lrs_site):
    lrs_push()
    # As if the LRS's answer had been lost: every statement goes again.
    LrsOutboxEntry.objects.update(status=LrsOutboxEntry.Status.PENDING)

    report = lrs_push()

    assert report.sent == 3
    ids = [s["id"] for s in lrs_site.stored()]
    assert sorted(ids) == sorted(set(ids))
    assert len(ids) == 3


def test_a_statement_already_in_the_lrs_with_other_content_counts_as_sent(
    ledger, lrs_site
):
    lrs_outbox_fill()
    read = entry_of(ledger.read)
    lrs_site.lrs.post([{**read.statement, "timestamp": "2020-01-01T00:00:00+09:00"}])

    report = lrs_outbox_send()

    assert report.sent == 3
    read.refresh_from_db()
    assert (read.status, read.last_status_code) == ("sent", 409)
    assert len(lrs_site.stored()) == 3


def test_a_refused_statement_is_set_aside_and_the_rest_are_sent(ledger, lrs_site):
    broken = queue_a_statement_the_lrs_refuses(ledger)

    report = lrs_outbox_send()

    assert (report.sent, report.rejected) == (2, 1)
    broken.refresh_from_db()
    assert broken.status == "rejected"
    assert broken.last_status_code in (400, 422)
    assert "actor" in broken.last_error  # Ralph names the field
    assert {s["id"] for s in lrs_site.stored()} == ids_of(
        [ledger.read, ledger.void], lrs_site.base_url
    )


def test_a_refused_statement_is_not_retried_by_itself(ledger, lrs_site):
    broken = queue_a_statement_the_lrs_refuses(ledger)
    lrs_outbox_send()

    report = lrs_push(ignore_backoff=True)

    assert (report.sent, report.rejected) == (0, 0)
    broken.refresh_from_db()
    assert (broken.status, broken.attempts) == ("rejected", 1)


def test_refused_statements_go_again_when_an_operator_asks(ledger, lrs_site):
    broken = queue_a_statement_the_lrs_refuses(ledger)
    statement = {**broken.statement, "actor": broken.actor}
    lrs_outbox_send()
    # Whatever made the LRS refuse it is mended.
    broken.refresh_from_db()
    broken.statement = statement
    broken.save(update_fields=["statement"])

    assert lrs_outbox_retry_rejected() == 1
    report = lrs_push()

    assert report.sent == 1
    assert len(lrs_site.stored()) == 3


def test_a_sender_never_posts_what_another_sender_holds(ledger, lrs_site):
    lrs_outbox_fill()
    LrsOutboxEntry.objects.filter(record=ledger.read).update(
        lease=uuid.uuid4(), leased_until=timezone.now() + datetime.timedelta(minutes=5)
    )

    first = lrs_outbox_send()
    LrsOutboxEntry.objects.filter(record=ledger.read).update(
        leased_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    second = lrs_outbox_send()

    assert (first.sent, second.sent) == (2, 1)
    assert len(lrs_site.stored()) == 3


def test_a_sender_run_again_under_its_id_sends_the_batch_it_held(ledger, lrs_site):
    lrs_outbox_fill()
    sender = uuid.uuid4()
    # Its worker died with the batch out: the entries stay leased to it.
    LrsOutboxEntry.objects.update(
        lease=sender, leased_until=timezone.now() + datetime.timedelta(minutes=10)
    )

    report = lrs_outbox_send(sender=sender)

    assert report.sent == 3
    assert len(lrs_site.stored()) == 3
    assert not LrsOutboxEntry.objects.exclude(status=LrsOutboxEntry.Status.SENT)


def test_statements_another_sender_holds_get_a_retry_when_its_lease_ends(
    ledger, lrs_site
):
    lrs_outbox_fill()
    lease_ends = timezone.now() + datetime.timedelta(minutes=10)
    LrsOutboxEntry.objects.filter(record=ledger.read).update(
        lease=uuid.uuid4(), leased_until=lease_ends
    )

    report = lrs_push()

    assert report.sent == 2
    assert report.retry_at == lease_ends
    assert queued_pushes().count() == 1


def test_rows_wait_for_their_persons_staff_number(ledger, lrs_site):
    lrs_push()
    assert lrs_outbox_status().waiting_for_staff_number == 1

    profile = ledger.nameless.staff_profile
    profile.staff_number = "A00003"
    profile.save()
    report = lrs_push()

    assert (report.queued, report.sent) == (1, 1)
    assert lrs_outbox_status().waiting_for_staff_number == 0
    assert len(lrs_site.stored()) == 4


# --- An LRS that is down ----------------------------------------------------


def test_an_lrs_that_is_down_keeps_every_statement_and_backs_off(
    ledger, lrs_down, settings
):
    settings.GOFUN_LRS_RETRY_DELAY = 30
    before = timezone.now()

    report = lrs_push()

    assert report.sent == 0
    assert "ConnectionError" in report.unavailable
    entries = list(LrsOutboxEntry.objects.all())
    assert len(entries) == 3
    assert {(e.status, e.attempts) for e in entries} == {("pending", 1)}
    for entry in entries:
        assert before + datetime.timedelta(seconds=30) <= entry.next_attempt_at
        assert entry.next_attempt_at <= timezone.now() + datetime.timedelta(seconds=30)


def test_one_retry_is_queued_for_when_the_statements_are_due(ledger, lrs_down):
    lrs_push()
    lrs_push()  # nothing is due yet: nothing is tried, nothing more queued
    read_to_end(lesson=ledger.reading, user=StaffProfileFactory().user)
    lrs_push()  # the new row is due and fails; its retry is no earlier

    (retry,) = queued_pushes()
    assert retry.run_after == min(
        e.next_attempt_at for e in LrsOutboxEntry.objects.all()
    )
    assert set(LrsOutboxEntry.objects.values_list("attempts", flat=True)) == {1}


def test_back_off_doubles_up_to_its_ceiling(ledger, lrs_down, settings):
    settings.GOFUN_LRS_RETRY_DELAY = 10
    settings.GOFUN_LRS_RETRY_MAX_DELAY = 25
    delays = []
    for _ in range(4):
        started = timezone.now()
        lrs_push(ignore_backoff=True)
        entry = entry_of(ledger.read)
        delays.append(round((entry.next_attempt_at - started).total_seconds()))

    assert delays == [10, 20, 25, 25]


def test_what_waits_on_back_off_goes_as_soon_as_the_lrs_answers(
    ledger, lrs_down, lrs_site, settings
):
    settings.GOFUN_LRS_URL = lrs_down
    lrs_push()
    settings.GOFUN_LRS_URL = lrs_site.lrs.url
    read_to_end(lesson=ledger.reading, user=StaffProfileFactory().user)

    report = lrs_push()  # the new row is due; once it is stored, the rest go

    assert report.sent == 4
    assert len(lrs_site.stored()) == 4


# --- Queueing the push ------------------------------------------------------


def test_a_new_ledger_row_queues_the_push_when_it_commits(
    ledger, lrs_site, django_capture_on_commit_callbacks
):
    learner = StaffProfileFactory().user
    with django_capture_on_commit_callbacks() as callbacks:
        read_to_end(lesson=ledger.reading, user=learner)
        assert not queued_pushes().exists()

    for callback in callbacks:
        callback()
    assert queued_pushes().count() == 1


def test_without_an_lrs_nothing_is_queued(
    ledger, settings, django_capture_on_commit_callbacks
):
    settings.GOFUN_LRS_URL = ""
    with django_capture_on_commit_callbacks(execute=True):
        read_to_end(lesson=ledger.reading, user=StaffProfileFactory().user)

    assert not queued_pushes().exists()


def test_the_queued_task_sends_what_is_new(ledger, lrs_site, settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }

    result = lrs_push_task.enqueue().return_value

    assert result["sent"] == 3
    assert len(lrs_site.stored()) == 3


# --- The command ------------------------------------------------------------


def run(*args) -> tuple[str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("lrs_push", *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def test_command_sends_now_and_says_how_many(ledger, lrs_site):
    output, _ = run()

    assert "送信 3 件" in output
    assert len(lrs_site.stored()) == 3


def test_command_sends_what_waits_on_back_off_at_once(
    ledger, lrs_down, lrs_site, settings
):
    settings.GOFUN_LRS_URL = lrs_down
    lrs_push()
    settings.GOFUN_LRS_URL = lrs_site.lrs.url

    output, _ = run("--json")

    assert json.loads(output)["sent"] == 3


def test_command_fails_loudly_when_the_lrs_is_down(ledger, lrs_down):
    with pytest.raises(CommandError, match="LRS に接続できません"):
        run()


def test_command_refuses_without_an_lrs(ledger, settings):
    settings.GOFUN_LRS_URL = ""

    with pytest.raises(CommandError, match="GOFUN_LRS_URL"):
        run()


def test_status_shows_how_far_the_ledger_got(ledger, lrs_site):
    queue_a_statement_the_lrs_refuses(ledger)
    lrs_outbox_send()

    output, _ = run("--status", "--json")

    status = json.loads(output)
    assert status["configured"] is True
    assert (status["sent"], status["rejected"], status["pending"]) == (2, 1, 0)
    assert status["waiting_for_staff_number"] == 1
    assert status["refused"][0]["record"] == ledger.passed.pk
    assert "actor" in status["refused"][0]["error"]


def test_status_in_words(ledger, lrs_site):
    lrs_push()

    output, _ = run("--status")

    assert "送信済み: 3" in output
    assert "職員番号の登録待ち: 1" in output


# --- The LRS these tests use ------------------------------------------------


def test_ralph_runserver_keeps_only_the_first_batch_hence_the_appending_lrs(
    ledger, lrs_site, tmp_path
):
    """Why the push is tested against ralph_appending_lrs.py: `ralph runserver
    -b fs` as documented stores one batch and fails every later one. When a
    Ralph release mends that, this fails and the launcher can go."""
    lrs_outbox_fill()
    first, second = (entry_of(r).statement for r in (ledger.read, ledger.passed))
    documented = RalphLrs(tmp_path / "ralph", appending=False).start()
    try:
        answers = [documented.post([first]), documented.post([second])]
    finally:
        documented.stop()

    assert [answer.status_code for answer in answers] == [200, 500]


def test_attendance_and_waivers_reach_the_lrs_as_valid_statements(
    training_records, lrs_site
):
    report = lrs_push()

    assert report.sent == 5
    statements = [
        entry_of(r).statement
        for r in (training_records.attended, training_records.waived)
    ]
    assert lrs_site.lrs.validate_strictly(statements) == []
    assert {s["id"] for s in statements} <= {s["id"] for s in lrs_site.stored()}
