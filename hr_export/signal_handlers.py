"""A thin receiver: a new ledger row queues the push to HR's LRS on commit.

The push fills its outbox from the ledger itself, so a task that is never
queued (the LRS configured later, a failed enqueue) loses nothing: the next
push sends the row.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_save

from training.models import CompletionRecord

from .lrs import lrs_configured
from .tasks import lrs_push_task


def _enqueue_push() -> None:
    lrs_push_task.enqueue()


def _record_appended(sender, instance, created: bool, raw: bool = False, **kwargs):
    if created and not raw and lrs_configured():
        transaction.on_commit(_enqueue_push, robust=True)


def register_signal_handlers() -> None:
    post_save.connect(
        _record_appended,
        sender=CompletionRecord,
        dispatch_uid="gofun_hr_export_record_appended",
    )
