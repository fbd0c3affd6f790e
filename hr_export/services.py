"""Writes for HR: export files, and the outbox that takes the ledger to HR's
Learning Record Store.

The push, step by step (`lrs_push`, run by the task hr_export.tasks.
lrs_push_task that every new ledger row queues, and by `manage.py lrs_push`):

1. Fill: every ledger row not yet in the outbox, whose person has a staff
   number, gets an outbox entry holding its statement (built once, so a
   re-send is the same statement). Rows missed for any reason (a record made
   before the LRS was configured, a lost task) are picked up by the next run:
   nothing depends on the signal alone.
2. Send: entries are leased in batches (oldest record first, so a record goes
   before its void) and posted. A batch the LRS refuses (400/409/413/422) is
   split in halves until the statement at fault stands alone; it is recorded
   as rejected with the LRS's answer and the rest go on. A single statement
   answered 409 is already in the LRS: it counts as sent. An LRS that is down
   or failing stops the run; the batch waits with exponential back-off.
3. Retry: if statements wait, one deferred task is queued for when the first
   is due (not one per new record while the LRS is down).
"""

from __future__ import annotations

import datetime
import logging
import uuid
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone

from training.models import CompletionRecord

from .exports import CSV, XAPI, XLSX, XapiExport, csv_chunks, write_xlsx, xapi_chunks
from .lrs import Answer, LrsClient, Outcome
from .models import LrsOutboxEntry, LrsRetry
from .selectors import completion_records_recorded_since, ledger_entries
from .xapi import StatementSkipped, xapi_statement

logger = logging.getLogger("gofun.hr_export")


@dataclass
class ExportSummary:
    rows: int
    # (record id, username, reason) of rows an xAPI export left out.
    skipped: list[tuple[int, str, str]] = field(default_factory=list)


def training_records_export(
    *,
    export_format: str,
    output,
    since: datetime.date | None = None,
    base_url: str | None = None,
) -> ExportSummary:
    """Write the ledger (rows recorded since a day, or all) to a binary file
    in CSV, XLSX or xAPI form."""
    entries = ledger_entries(records=completion_records_recorded_since(since=since))
    if export_format == CSV:
        rows = -1  # the heading line
        for chunk in csv_chunks(entries):
            output.write(chunk.encode("utf-8"))
            rows += 1
        return ExportSummary(rows=rows)
    if export_format == XLSX:
        return ExportSummary(rows=write_xlsx(entries, output))
    if export_format == XAPI:
        report = XapiExport()
        for chunk in xapi_chunks(
            entries,
            base_url=base_url or settings.WAGTAILADMIN_BASE_URL,
            report=report,
        ):
            output.write(chunk.encode("utf-8"))
        return ExportSummary(
            rows=report.written,
            skipped=[
                (entry.record_id, entry.username, reason)
                for entry, reason in report.skipped
            ],
        )
    raise ValueError(f"Unknown export format {export_format!r}")


# --- The push to the LRS ---------------------------------------------------


def _retry_delay(attempts: int) -> datetime.timedelta:
    """Back-off after `attempts` failed attempts: doubling, up to a ceiling."""
    first = settings.GOFUN_LRS_RETRY_DELAY
    ceiling = settings.GOFUN_LRS_RETRY_MAX_DELAY
    seconds = min(first * 2 ** max(attempts - 1, 0), ceiling)
    return datetime.timedelta(seconds=seconds)


def _lease_duration() -> datetime.timedelta:
    # Longer than a batch can take to send, splitting included.
    return datetime.timedelta(seconds=max(600, settings.GOFUN_LRS_TIMEOUT * 20))


def lrs_outbox_fill(*, base_url: str | None = None, chunk_size: int = 500) -> int:
    """Queue every ledger row not yet in the outbox whose person has a staff
    number; return how many were queued."""
    base_url = base_url or settings.WAGTAILADMIN_BASE_URL
    records = CompletionRecord.objects.filter(
        lrs_outbox_entry__isnull=True,
        user__staff_profile__staff_number__isnull=False,
    )
    queued = 0
    batch: list[LrsOutboxEntry] = []
    now = timezone.now()
    for entry in ledger_entries(records=records):
        try:
            statement = xapi_statement(entry, base_url=base_url)
        except StatementSkipped as reason:
            logger.warning(
                "Record %s is not sent to the LRS: %s", entry.record_id, reason
            )
            continue
        batch.append(
            LrsOutboxEntry(
                record_id=entry.record_id,
                statement_id=statement["id"],
                statement=statement,
                next_attempt_at=now,
            )
        )
        if len(batch) >= chunk_size:
            queued += _queue(batch)
            batch = []
    if batch:
        queued += _queue(batch)
    return queued


def _queue(entries: list[LrsOutboxEntry]) -> int:
    # Another run may be queueing the same rows: whichever comes first stands.
    already = set(
        LrsOutboxEntry.objects.filter(
            record_id__in=[entry.record_id for entry in entries]
        ).values_list("record_id", flat=True)
    )
    LrsOutboxEntry.objects.bulk_create(
        [entry for entry in entries if entry.record_id not in already],
        ignore_conflicts=True,
    )
    return len(entries) - len(already)


def _pending_and_free(now: datetime.datetime):
    """Entries waiting to be sent that no sender holds."""
    return LrsOutboxEntry.objects.filter(
        Q(leased_until__isnull=True) | Q(leased_until__lt=now),
        status=LrsOutboxEntry.Status.PENDING,
    )


def _lease(*, size: int, due_only: bool, token: uuid.UUID) -> list[LrsOutboxEntry]:
    """Take up to `size` pending entries for the sender `token` alone.

    Entries this sender already holds are taken again: a push task whose
    worker died runs again under the same id and finishes its own batch at
    once, instead of leaving it to wait for the lease to run out.
    """
    now = timezone.now()
    with transaction.atomic():
        candidates = LrsOutboxEntry.objects.filter(
            Q(leased_until__isnull=True) | Q(leased_until__lt=now) | Q(lease=token),
            status=LrsOutboxEntry.Status.PENDING,
        )
        if due_only:
            candidates = candidates.filter(next_attempt_at__lte=now)
        ids = list(
            candidates.order_by("record_id")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:size]
        )
        if not ids:
            return []
        LrsOutboxEntry.objects.filter(pk__in=ids).update(
            lease=token, leased_until=now + _lease_duration()
        )
    return list(LrsOutboxEntry.objects.filter(lease=token).order_by("record_id"))


def _release(entries: list[LrsOutboxEntry], fields: list[str]) -> None:
    for entry in entries:
        entry.lease = None
        entry.leased_until = None
    LrsOutboxEntry.objects.bulk_update(entries, [*fields, "lease", "leased_until"])


def _mark_sent(entries: list[LrsOutboxEntry], answer: Answer) -> None:
    now = timezone.now()
    for entry in entries:
        entry.status = LrsOutboxEntry.Status.SENT
        entry.sent_at = now
        entry.last_status_code = answer.status_code
        entry.last_error = answer.detail if answer.outcome is Outcome.CONFLICT else ""
    _release(entries, ["status", "sent_at", "last_status_code", "last_error"])


def _mark_rejected(entry: LrsOutboxEntry, answer: Answer) -> None:
    entry.status = LrsOutboxEntry.Status.REJECTED
    entry.attempts += 1
    entry.last_status_code = answer.status_code
    entry.last_error = answer.detail
    _release([entry], ["status", "attempts", "last_status_code", "last_error"])
    logger.error(
        "The LRS refused the statement of record %s (HTTP %s): %s",
        entry.record_id,
        answer.status_code,
        answer.detail,
    )


def _mark_unavailable(
    entries: list[LrsOutboxEntry], answer: Answer
) -> datetime.datetime:
    now = timezone.now()
    for entry in entries:
        entry.attempts += 1
        entry.next_attempt_at = now + _retry_delay(entry.attempts)
        entry.last_status_code = answer.status_code
        entry.last_error = answer.detail or f"HTTP {answer.status_code}"
    _release(entries, ["attempts", "next_attempt_at", "last_status_code", "last_error"])
    retry_at = min(entry.next_attempt_at for entry in entries)
    logger.warning(
        "The LRS is unavailable (%s); %d statements wait until %s",
        entries[0].last_error,
        len(entries),
        retry_at.isoformat(),
    )
    return retry_at


@dataclass
class PushReport:
    queued: int = 0
    sent: int = 0
    rejected: int = 0
    # The LRS's failure when a run stopped on one, and when it tries again.
    unavailable: str = ""
    retry_at: datetime.datetime | None = None

    def as_dict(self) -> dict:
        retry_at = self.retry_at.isoformat() if self.retry_at else None
        return {**asdict(self), "retry_at": retry_at}


def _deliver(
    client: LrsClient, entries: list[LrsOutboxEntry], report: PushReport
) -> bool:
    """Post a batch, splitting it to isolate refused statements; False if the
    LRS is unavailable (what is left of the batch then waits)."""
    groups = [entries]
    while groups:
        group = groups.pop()
        answer = client.post_statements([entry.statement for entry in group])
        if answer.outcome is Outcome.STORED or (
            answer.outcome is Outcome.CONFLICT and len(group) == 1
        ):
            _mark_sent(group, answer)
            report.sent += len(group)
        elif answer.outcome in (Outcome.REFUSED, Outcome.CONFLICT) and len(group) > 1:
            middle = len(group) // 2
            groups += [group[middle:], group[:middle]]  # the first half first
        elif answer.outcome is Outcome.REFUSED:
            _mark_rejected(group[0], answer)
            report.rejected += 1
        else:
            waiting = group + [entry for rest in groups for entry in rest]
            report.retry_at = _mark_unavailable(waiting, answer)
            report.unavailable = waiting[0].last_error
            return False
    return True


def lrs_outbox_send(
    *,
    client: LrsClient | None = None,
    ignore_backoff: bool = False,
    batch_size: int | None = None,
    report: PushReport | None = None,
    sender: uuid.UUID | None = None,
) -> PushReport:
    """Send pending statements in batches until none is due or the LRS fails.

    Once the LRS has stored a batch, statements still waiting on back-off go
    too: it is evidently answering again. `sender` names this sender in its
    leases (the push task's id; a new one otherwise). Statements another
    sender holds get a retry for when its lease runs out, in case it died.
    """
    report = report or PushReport()
    client = client or LrsClient()
    batch_size = batch_size or settings.GOFUN_LRS_BATCH_SIZE
    token = sender or uuid.uuid4()
    due_only = not ignore_backoff
    while entries := _lease(size=batch_size, due_only=due_only, token=token):
        if not _deliver(client, entries, report):
            return report
        due_only = False
    now = timezone.now()
    waiting = _pending_and_free(now).aggregate(first=Min("next_attempt_at"))["first"]
    held = LrsOutboxEntry.objects.filter(
        status=LrsOutboxEntry.Status.PENDING, leased_until__gte=now
    ).aggregate(first=Min("leased_until"))["first"]
    report.retry_at = min(
        (moment for moment in (waiting, held) if moment is not None), default=None
    )
    return report


def lrs_retry_schedule(*, at: datetime.datetime) -> bool:
    """Queue one push for `at`, unless one is queued already for then or
    sooner; False if none was queued (or the task backend cannot defer)."""
    from .tasks import lrs_push_task

    if not lrs_push_task.get_backend().supports_defer:
        return False
    LrsRetry.objects.get_or_create(pk=1)
    with transaction.atomic():
        retry = LrsRetry.objects.select_for_update().get(pk=1)
        now = timezone.now()
        if retry.retry_at is not None and now < retry.retry_at <= at:
            return False
        retry.retry_at = at
        retry.save(update_fields=["retry_at"])
        lrs_push_task.using(run_after=max(at, now)).enqueue()
    return True


def lrs_push(
    *,
    client: LrsClient | None = None,
    ignore_backoff: bool = False,
    sender: uuid.UUID | None = None,
) -> PushReport:
    """Fill the outbox, send what is due and queue a retry for what waits."""
    report = PushReport(queued=lrs_outbox_fill())
    lrs_outbox_send(
        client=client, ignore_backoff=ignore_backoff, report=report, sender=sender
    )
    if report.retry_at is not None:
        lrs_retry_schedule(at=report.retry_at)
    return report


def lrs_outbox_retry_rejected() -> int:
    """Put the statements the LRS refused back in the queue (after whatever
    made it refuse them is mended); return how many."""
    return LrsOutboxEntry.objects.filter(status=LrsOutboxEntry.Status.REJECTED).update(
        status=LrsOutboxEntry.Status.PENDING,
        attempts=0,
        next_attempt_at=timezone.now(),
        lease=None,
        leased_until=None,
    )
