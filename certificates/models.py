"""Certificates (修了証): a printable record that a person completed a
required training item or earned a skill certification, with a code anyone
signed in can verify."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Certificate(models.Model):
    """One certificate as issued: who, what, when, and the ledger rows it
    rests on.

    What is printed (the holder's name, the training, the dates) is kept as
    issued, so the verification page says what the paper says. Whether the
    certificate still holds is never stored: it is derived from the ledger
    each time it is verified (see certificates.selectors).
    """

    class Kind(models.TextChoices):
        ITEM = "item", _("Completed training")
        CERTIFICATION = "certification", _("Skill certification")

    code = models.CharField(
        _("verification code"), max_length=20, unique=True, editable=False
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("holder"),
    )
    requirement = models.ForeignKey(
        "training.Requirement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
        verbose_name=_("requirement completed"),
    )
    curriculum = models.ForeignKey(
        "training.Curriculum",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
        verbose_name=_("curriculum certified"),
    )
    holder_name = models.CharField(_("name as printed"), max_length=300)
    title = models.CharField(_("training as printed"), max_length=300)
    context = models.CharField(_("curriculum or role as printed"), max_length=300)
    completed_on = models.DateField(_("completed or certified on"))
    period_start = models.DateField(_("period starts"), null=True, blank=True)
    period_end = models.DateField(_("period ends"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    # The standing ledger rows it rests on (ids of training.CompletionRecord;
    # ledger rows are never deleted, so an id always names its row).
    record_ids = models.JSONField(_("ledger rows"), default=list)
    # One certificate per holder, thing and evidence: asking again for the
    # same finds it; new evidence (after a void, say) makes a new one.
    evidence_key = models.CharField(max_length=64, unique=True, editable=False)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind="item", requirement__isnull=False, curriculum__isnull=True
                )
                | Q(
                    kind="certification",
                    curriculum__isnull=False,
                    requirement__isnull=True,
                ),
                name="certificates_names_what_it_certifies",
            )
        ]

    def __str__(self) -> str:
        return f"{self.holder_name}: {self.title} ({self.completed_on})"
