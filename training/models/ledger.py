"""The append-only completion ledger HR relies on."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise CompletionRecord.Immutable(_("Completion records cannot be changed."))

    def delete(self):
        raise CompletionRecord.Immutable(_("Completion records cannot be deleted."))

    def standing(self) -> AppendOnlyQuerySet:
        """Records that count: not voids, and not voided."""
        return self.exclude(kind=CompletionRecord.Kind.VOID).filter(
            voided_by__isnull=True
        )


class CompletionRecord(models.Model):
    """The append-only ledger of completions HR relies on.

    Rows are only ever inserted: the model refuses updates and deletes, and
    database triggers (training.ledger_triggers) refuse them from any other
    code. A correction is a new row of kind "void" that names the row it voids,
    who voided it and why. The table keeps the name it was created with in the
    `quizzes` app.

    Besides what learners do online (passes, reading to the end), training
    admins record attendance at external trainings and drills (kind
    "external", with the day attended) and waivers of one requirement (kind
    "waived", with the reason and optional evidence). Each kind names what it
    needs in a database constraint.
    """

    class Immutable(Exception):
        pass

    class Kind(models.TextChoices):
        QUIZ_PASSED = "quiz_passed", _("Passed the checkpoint")
        READ_TO_END = "read_to_end", _("Read to the last slide")
        EXTERNAL = "external", _("Attended an external training or drill")
        WAIVED = "waived", _("Waived")
        VOID = "void", _("Void")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="completion_records",
        verbose_name=_("learner"),
    )
    lesson = models.ForeignKey(
        "learning_series.LessonPage",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="completion_records",
        verbose_name=_("lesson"),
    )
    series = models.ForeignKey(
        "learning_series.SeriesPage",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="completion_records",
        verbose_name=_("series"),
    )
    page_revision = models.ForeignKey(
        "wagtailcore.Revision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revision read"),
    )
    checkpoint = models.ForeignKey(
        "quizzes.Checkpoint",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="completion_records",
        verbose_name=_("checkpoint"),
    )
    attempt = models.OneToOneField(
        "quizzes.Attempt",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="completion_record",
        verbose_name=_("attempt"),
    )
    percent = models.DecimalField(
        _("score (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    voids = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="voided_by",
        verbose_name=_("voids"),
    )
    reason = models.TextField(_("reason"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    external_training = models.ForeignKey(
        "training.ExternalTraining",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="completion_records",
        verbose_name=_("external training or drill"),
    )
    completed_on = models.DateField(_("attended on"), null=True, blank=True)
    requirement = models.ForeignKey(
        "training.Requirement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="waivers",
        verbose_name=_("requirement waived"),
    )
    evidence = models.ForeignKey(
        "wagtaildocs.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("evidence"),
    )

    objects = AppendOnlyQuerySet.as_manager()

    # Not in Wagtail's reference index: a lesson's "usage" would list every
    # learner's record by name to editors, and each pass would write an index
    # row inside the grading transaction.
    wagtail_reference_index_ignore = True

    class Meta:
        db_table = "quizzes_completionrecord"
        ordering = ["-recorded_at", "-pk"]
        verbose_name = _("completion record")
        verbose_name_plural = _("completion records")
        permissions = [("void_completionrecord", _("Can void completion records"))]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="void", voids__isnull=False, recorded_by__isnull=False)
                    & ~Q(reason="")
                )
                | (~Q(kind="void") & Q(voids__isnull=True)),
                name="quizzes_void_names_record_who_and_why",
            ),
            models.CheckConstraint(
                condition=(
                    ~Q(kind="external")
                    | Q(
                        external_training__isnull=False,
                        completed_on__isnull=False,
                        recorded_by__isnull=False,
                    )
                )
                & (
                    ~Q(kind="waived")
                    | (
                        Q(requirement__isnull=False, recorded_by__isnull=False)
                        & ~Q(reason="")
                    )
                ),
                name="training_external_and_waived_name_what_they_need",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.user} {self.item_title}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise self.Immutable(_("Completion records cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise self.Immutable(_("Completion records cannot be deleted."))

    @property
    def item(self):
        """What the record is about: a lesson, a series or an external training."""
        return self.lesson or self.series or self.external_training

    @property
    def item_title(self) -> str:
        item = self.item
        return str(getattr(item, "title", None) or item or "")
