"""The sent-reminders log: which mail went to whom on which day, about which
requirements. It decides what the next run sends (see reminders.services)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReminderMail(models.Model):
    """One mail to one person on one day: a digest of their own training to
    complete and, for a division's manager, their people's overdue items.

    At most one per person and day (a database constraint). A row is claimed
    as "sending" in its own transaction before the mail goes out, and marked
    "sent" once the mail backend has accepted it, or "failed" when it
    raised; see reminders.services for what each state means to the next run.
    """

    class State(models.TextChoices):
        SENDING = "sending", _("Sending (not confirmed)")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed (sent again on the next run)")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="reminder_mails",
        verbose_name=_("recipient"),
    )
    day = models.DateField(_("day"))
    state = models.CharField(_("state"), max_length=16, choices=State.choices)
    address = models.EmailField(_("sent to"), max_length=254)
    subject = models.CharField(_("subject"), max_length=300)
    message_id = models.CharField(_("Message-ID"), max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)
    claimed_at = models.DateTimeField(_("claimed at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["-day", "recipient_id"]
        verbose_name = _("reminder mail")
        verbose_name_plural = _("reminder mails")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "day"], name="reminders_one_mail_a_day"
            )
        ]
        indexes = [models.Index(fields=["state", "day"], name="reminders_state_day")]

    def __str__(self) -> str:
        return f"{self.recipient} {self.day} ({self.state})"


class ReminderItem(models.Model):
    """One requirement a mail named: the recipient's own (a reminder) or, in
    a manager's digest, one of their people's (an escalation)."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Reminder")
        ESCALATION = "escalation", _("Escalation to the manager")

    mail = models.ForeignKey(
        ReminderMail,
        on_delete=models.CASCADE,
        related_name="items",
        verbose_name=_("mail"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    requirement = models.ForeignKey(
        "training.Requirement",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requirement"),
    )
    status = models.CharField(_("status then"), max_length=16)
    due_on = models.DateField(_("due"))
    # For an escalation: whether this mail was the first to report it.
    first_escalation = models.BooleanField(_("first reported"), default=False)

    class Meta:
        ordering = ["mail_id", "kind", "due_on", "pk"]
        verbose_name = _("reminder item")
        verbose_name_plural = _("reminder items")
        constraints = [
            models.UniqueConstraint(
                fields=["mail", "kind", "requirement"],
                name="reminders_item_once_per_mail",
            )
        ]
        indexes = [
            models.Index(fields=["requirement", "kind"], name="reminders_item_req")
        ]

    def __str__(self) -> str:
        return f"{self.mail}: {self.kind} {self.requirement_id}"
