"""Requirements: who owes which curriculum item, from when and by when.

A requirement is the schedule of one obligation; whether it is met is never
stored here but derived from the ledger (see training.requirement_selectors).
Rows are kept when the obligation ends (lapsed_on and lapse_reason say why),
so the history of what a person owed stays readable next to their records.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .curricula import TARGETS, names_one_thing


class LessonMaterialChange(models.Model):
    """A lesson revision an editor published as a material change (要再受講):
    completions of earlier revisions no longer meet requirements including it."""

    lesson = models.ForeignKey(
        "learning_series.LessonPage",
        on_delete=models.PROTECT,
        related_name="material_changes",
        verbose_name=_("lesson"),
    )
    revision = models.OneToOneField(
        "wagtailcore.Revision",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("revision"),
    )
    reason = models.TextField(_("reason"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    published_at = models.DateTimeField(_("published at"))

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("material change of a lesson")
        verbose_name_plural = _("material changes of lessons")

    def __str__(self) -> str:
        return f"{self.lesson}: {self.reason}"


class RequirementQuerySet(models.QuerySet):
    def active(self) -> RequirementQuerySet:
        return self.filter(lapsed_on__isnull=True)


class Requirement(models.Model):
    """One person owes one curriculum item for one period."""

    class LapseReason(models.TextChoices):
        ROLE_ENDED = "role_ended", _("No longer holds the role")
        WITHDRAWN = "withdrawn", _("No longer in the curriculum")
        PERIOD_ENDED = "period_ended", _("A new period began")
        RETRAINING = "retraining", _("Re-opened by a material revision")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="training_requirements",
        verbose_name=_("member of staff"),
    )
    curriculum = models.ForeignKey(
        "training.Curriculum",
        on_delete=models.PROTECT,
        related_name="requirements",
        verbose_name=_("curriculum"),
    )
    item = models.ForeignKey(
        "training.CurriculumItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="requirements",
        verbose_name=_("curriculum item"),
    )
    # What is required, copied from the item so that a requirement keeps
    # naming it after the item leaves the curriculum.
    series = models.ForeignKey(
        "learning_series.SeriesPage",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("series"),
    )
    lesson = models.ForeignKey(
        "learning_series.LessonPage",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lesson"),
    )
    external_training = models.ForeignKey(
        "training.ExternalTraining",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requirements",
        verbose_name=_("external training or drill"),
    )
    # "" for a requirement made once; "FY2026" for one that recurs each
    # fiscal year. Part of the requirement's identity.
    period = models.CharField(_("period"), max_length=16, blank=True)
    counts_from = models.DateField(
        _("records count from"),
        null=True,
        blank=True,
        help_text=_("Completions before this day do not meet the requirement."),
    )
    period_end = models.DateField(_("period ends"), null=True, blank=True)
    started_on = models.DateField(_("owed from"))
    due_on = models.DateField(_("due"))
    opened_on = models.DateField(_("opened on"))
    material_change = models.ForeignKey(
        LessonMaterialChange,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requirements",
        verbose_name=_("re-opened by"),
    )
    lapsed_on = models.DateField(_("lapsed on"), null=True, blank=True)
    lapse_reason = models.CharField(
        _("why it lapsed"), max_length=16, choices=LapseReason.choices, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = RequirementQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("training requirement")
        verbose_name_plural = _("training requirements")
        permissions = [
            ("waive_requirement", _("Can waive training requirements")),
            (
                "report_requirement",
                _("Can see training completion rates (without names)"),
            ),
        ]
        indexes = [
            models.Index(fields=["user", "lapsed_on"], name="training_req_user_active"),
            models.Index(fields=["lapsed_on", "due_on"], name="training_req_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=names_one_thing(),
                name="training_requirement_names_one_thing",
            ),
            *(
                models.UniqueConstraint(
                    fields=["user", "curriculum", target, "period"],
                    condition=Q(lapsed_on__isnull=True, **{f"{target}__isnull": False}),
                    name=f"training_one_open_requirement_per_{target}",
                )
                for target in TARGETS
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.target}"

    @property
    def target(self):
        return self.series or self.lesson or self.external_training

    @property
    def target_kind(self) -> str:
        if self.series_id:
            return "series"
        if self.lesson_id:
            return "lesson"
        return "external"

    @property
    def target_id(self) -> int:
        return self.series_id or self.lesson_id or self.external_training_id

    @property
    def is_active(self) -> bool:
        return self.lapsed_on is None
