"""The outbox of statements on their way to HR's Learning Record Store.

The ledger itself is append-only, so what changes while a statement is being
delivered (attempts, back-off, the LRS's answer) lives here, one row per
ledger row, beside it rather than in it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class LrsOutboxEntry(models.Model):
    """One completion record's xAPI statement and what became of sending it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        REJECTED = "rejected", _("Refused by the LRS")

    record = models.OneToOneField(
        "training.CompletionRecord",
        on_delete=models.PROTECT,
        related_name="lrs_outbox_entry",
        verbose_name=_("completion record"),
    )
    statement_id = models.UUIDField(_("statement id"), unique=True)
    # The statement as it was first built: a re-send repeats it exactly.
    statement = models.JSONField(_("statement"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("failed attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    # Set while a sender holds the entry, so two senders never post it at once.
    lease = models.UUIDField(null=True, blank=True)
    leased_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(
        _("last HTTP status"), null=True, blank=True
    )
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["record_id"]
        verbose_name = _("LRS outbox entry")
        verbose_name_plural = _("LRS outbox entries")
        indexes = [
            models.Index(
                fields=["status", "next_attempt_at"], name="hr_export_outbox_due_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.statement_id} ({self.get_status_display()})"


class LrsRetry(models.Model):
    """When the next retry of the LRS push is queued for (a single row).

    While the LRS is down every new record would otherwise queue a retry of
    its own; the push queues one only when none is due sooner.
    """

    retry_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("LRS retry")
        verbose_name_plural = _("LRS retries")

    def __str__(self) -> str:
        return str(self.retry_at or "")
