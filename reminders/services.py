"""Sending the day's training reminders and escalations, exactly as the log
allows.

Each mail is one row of the log (ReminderMail, one per person and day) and
goes through three steps:

1. **Claim**: in its own transaction the row is created as "sending" with
   the requirements the mail names. The database's one-row-per-person-and-
   day constraint makes two runs at once (cron and a task, say) claim it
   once; a row that failed earlier the same day is claimed back by a
   conditional update, which only one run wins.
2. **Send** through Django's mail framework (fail_silently=False).
3. **Log**: once the backend has accepted the mail the row becomes "sent";
   if it raised (SMTPException, a refused connection…) the row becomes
   "failed" with the error, and the next run that day claims it again.

A run never sends a person a second mail the same day: a "sent" row and a
row left "sending" both stop it. The next day's run never counts a
"sending" or "failed" row as delivered, so what they named is caught up in
that day's mail (reminders.selectors).

At-most-once a day, at-least-once across days. The one case no mail
framework can settle is a crash after the mail server accepted a mail and
before the row says "sent" (the process killed, the database gone): Gofun
cannot know whether it went. It then prefers not to send twice on one day,
which is what a person notices and what the log promises, and lets the next
day's run remind again, so nothing is lost for more than a day; the
reminder's cadence is a week. Every attempt at one row carries the same
Message-ID, so a server or client that does get a mail twice can tell.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .mail import digest_message, message_id
from .models import ReminderItem, ReminderMail
from .selectors import Digest, ReminderPlan, Skip, reminders_due

logger = logging.getLogger("gofun.reminders")


@dataclass
class ReminderRun:
    """What a run did. `sent` counts mails sent; `escalations` those of them
    that report overdue items to a manager; `skipped` the people due a mail
    who got none from this run, by reason (Skip)."""

    today: datetime.date
    dry_run: bool = False
    sent: int = 0
    escalations: int = 0
    skipped_by_reason: dict[str, int] = field(default_factory=dict)

    @property
    def skipped(self) -> int:
        return sum(self.skipped_by_reason.values())

    def skip(self, reason: str) -> None:
        self.skipped_by_reason[reason] = self.skipped_by_reason.get(reason, 0) + 1

    def count(self, digest: Digest) -> None:
        self.sent += 1
        if digest.escalates:
            self.escalations += 1

    def as_json(self) -> dict[str, int]:
        return {
            "sent": self.sent,
            "escalations": self.escalations,
            "skipped": self.skipped,
        }


def _items(digest: Digest, mail: ReminderMail) -> list[ReminderItem]:
    """The log's items of a mail: the recipient's own requirements, then
    those reported to them as a manager."""
    Kind = ReminderItem.Kind
    lines = [(Kind.REMINDER, line) for line in digest.own]
    lines += [(Kind.ESCALATION, line) for line in digest.team]
    return [
        ReminderItem(
            mail=mail,
            kind=kind,
            requirement=line.requirement,
            status=line.status,
            due_on=line.due_on,
            first_escalation=getattr(line, "first_escalation", False),
        )
        for kind, line in lines
    ]


def reminder_mail_claim(
    *, digest: Digest, day: datetime.date, subject: str
) -> ReminderMail | None:
    """Claim today's mail to this person, with the items it names; None when
    another run has it (sent, or being sent)."""
    recipient = digest.recipient
    now = timezone.now()
    with transaction.atomic():
        try:
            with transaction.atomic():
                mail = ReminderMail.objects.create(
                    recipient=recipient,
                    day=day,
                    state=ReminderMail.State.SENDING,
                    address=recipient.email.strip(),
                    subject=subject[:300],
                    claimed_at=now,
                )
        except IntegrityError:
            reclaimed = ReminderMail.objects.filter(
                recipient=recipient, day=day, state=ReminderMail.State.FAILED
            ).update(
                state=ReminderMail.State.SENDING,
                address=recipient.email.strip(),
                subject=subject[:300],
                claimed_at=now,
                attempts=F("attempts") + 1,
            )
            if not reclaimed:
                return None
            mail = ReminderMail.objects.get(recipient=recipient, day=day)
            # The failed attempt's items give way to what is due now.
            mail.items.all().delete()
        mail.message_id = message_id(mail_id=mail.pk, day=day)
        ReminderMail.objects.filter(pk=mail.pk).update(message_id=mail.message_id)
        ReminderItem.objects.bulk_create(_items(digest, mail))
    return mail


def reminder_mail_sent(*, mail: ReminderMail) -> None:
    ReminderMail.objects.filter(pk=mail.pk, state=ReminderMail.State.SENDING).update(
        state=ReminderMail.State.SENT, sent_at=timezone.now(), error=""
    )


def reminder_mail_failed(*, mail: ReminderMail, error: BaseException) -> None:
    ReminderMail.objects.filter(pk=mail.pk, state=ReminderMail.State.SENDING).update(
        state=ReminderMail.State.FAILED,
        error=f"{type(error).__name__}: {error}"[:2000],
    )


def _already_claimed(plan: ReminderPlan, digest: Digest) -> bool:
    return (
        ReminderMail.objects.filter(recipient=digest.recipient, day=plan.today)
        .exclude(state=ReminderMail.State.FAILED)
        .exists()
    )


def training_reminders_send(
    *, today: datetime.date | None = None, dry_run: bool = False
) -> ReminderRun:
    """Send the day's reminders and escalations (see the module docstring).

    With dry_run, nothing is sent or written; the counts say what a run
    would do.
    """
    today = today or timezone.localdate()
    plan = reminders_due(today=today)
    run = ReminderRun(today=today, dry_run=dry_run)
    for digest in plan.digests:
        reason = plan.skip_reason(digest)
        if reason is not None:
            run.skip(reason)
            continue
        if dry_run:
            if _already_claimed(plan, digest):
                run.skip(Skip.ALREADY_SENT)
            else:
                run.count(digest)
            continue
        _send_one(plan, digest, run)
    logger.info(
        "Training reminders for %s: %s sent, %s escalations, skipped %s",
        today,
        run.sent,
        run.escalations,
        run.skipped_by_reason,
    )
    return run


def _send_one(plan: ReminderPlan, digest: Digest, run: ReminderRun) -> None:
    try:
        message = digest_message(digest=digest, today=plan.today)
    except Exception:  # noqa: BLE001 -- one mail that cannot be written stops no other
        logger.exception(
            "Writing the reminder mail to user %s for %s failed",
            digest.recipient.pk,
            plan.today,
        )
        run.skip(Skip.FAILED)
        return
    mail = reminder_mail_claim(digest=digest, day=plan.today, subject=message.subject)
    if mail is None:
        run.skip(Skip.ALREADY_SENT)
        return
    message.extra_headers["Message-ID"] = mail.message_id
    try:
        accepted = message.send(fail_silently=False)
        if not accepted:
            raise RuntimeError("the mail backend accepted no message")
    except Exception as error:  # noqa: BLE001 -- any failure to send is retried
        reminder_mail_failed(mail=mail, error=error)
        logger.error(
            "Reminder mail %s to %s for %s failed; the next run sends it: %s",
            mail.pk,
            mail.address,
            plan.today,
            error,
        )
        run.skip(Skip.FAILED)
        return
    reminder_mail_sent(mail=mail)
    run.count(digest)
