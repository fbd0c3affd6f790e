"""Curricula (研修カリキュラム) and the external trainings and drills they list.

A curriculum is a snippet training admins keep with draft state and
revisions: only a published curriculum creates requirements, so a half-edited
one never does. Its items are lessons, series or external trainings, each
with a due rule and an optional recurrence (see training.due_dates).
"""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import DraftStateMixin, LockableMixin, Orderable, RevisionMixin
from wagtail.search import index

from ..admin_forms import CurriculumForm

TARGETS = ("series", "lesson", "external_training")


def names_one_thing() -> Q:
    """Exactly one of series, lesson and external training is set."""
    condition = Q()
    for chosen in TARGETS:
        condition |= Q(**{f"{target}__isnull": target != chosen for target in TARGETS})
    return condition


class ExternalTraining(index.Indexed, models.Model):
    """A training or drill held outside Gofun (外部委託研修, 標的型メール訓練 …),
    whose attendance training admins record in the ledger."""

    class Kind(models.TextChoices):
        TRAINING = "training", _("Training (研修)")
        DRILL = "drill", _("Drill (訓練)")

    name = models.CharField(_("name"), max_length=200, unique=True)
    code = models.SlugField(
        _("code"),
        max_length=50,
        unique=True,
        help_text=_("A stable identifier, used by the attendance import command."),
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=Kind.choices, default=Kind.TRAINING
    )
    provider = models.CharField(_("held by"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("code"), FieldPanel("kind")]),
        FieldPanel("provider"),
        FieldPanel("description"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("external training or drill")
        verbose_name_plural = _("external trainings and drills")
        permissions = [
            (
                "record_externaltraining",
                _("Can record attendance at external trainings and drills"),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def title(self) -> str:
        return self.name


class Curriculum(DraftStateMixin, LockableMixin, RevisionMixin, ClusterableModel):
    """The training one job role requires, or that all staff require (必修)."""

    name = models.CharField(_("name"), max_length=200)
    for_all_staff = models.BooleanField(
        _("for all staff (必修)"),
        default=False,
        help_text=_("Mandatory training every member of staff must complete."),
    )
    role = models.OneToOneField(
        "organisation.JobRole",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="curriculum",
        verbose_name=_("job role"),
        help_text=_("Everyone who holds this role must complete the curriculum."),
    )
    description = models.TextField(_("description"), blank=True)

    _revisions = GenericRelation(
        "wagtailcore.Revision", related_query_name="curriculum"
    )

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("for_all_staff"), FieldPanel("role")]),
        FieldPanel("description"),
        InlinePanel(
            "items",
            heading=_("Items"),
            label=_("Item"),
            help_text=_(
                "Choose one lesson, series or external training per item, with "
                "its due date rule. Changes take effect when the curriculum is "
                "published."
            ),
        ),
    ]
    base_form_class = CurriculumForm

    class Meta:
        ordering = ["-for_all_staff", "role__sort_order", "name"]
        verbose_name = _("curriculum")
        verbose_name_plural = _("curricula")
        constraints = [
            models.CheckConstraint(
                condition=Q(for_all_staff=True, role__isnull=True)
                | Q(for_all_staff=False, role__isnull=False),
                name="training_curriculum_for_all_staff_or_one_role",
                violation_error_message=_(
                    "Choose a job role, or mark the curriculum as for all staff "
                    "(not both)."
                ),
            ),
            models.UniqueConstraint(
                fields=["for_all_staff"],
                condition=Q(for_all_staff=True),
                name="training_one_curriculum_for_all_staff",
                violation_error_message=_(
                    "There is already a curriculum for all staff."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def revisions(self):
        return self._revisions

    @property
    def audience(self) -> str:
        return str(_("All staff")) if self.for_all_staff else str(self.role)


class DueRule(models.TextChoices):
    FIXED_DATE = "fixed_date", _("By a fixed date")
    DAYS_AFTER_ROLE = "days_after_role", _("Days after gaining the role")
    DAYS_AFTER_JOINING = "days_after_joining", _("Days after joining")


class Recurrence(models.TextChoices):
    NONE = "none", _("Once")
    FISCAL_YEAR = "fiscal_year", _("Every fiscal year (from 1 April)")


class CurriculumItem(Orderable):
    """One thing a curriculum requires, and when."""

    curriculum = ParentalKey(Curriculum, on_delete=models.CASCADE, related_name="items")
    series = models.ForeignKey(
        "learning_series.SeriesPage",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("series"),
        help_text=_("Every lesson of the series, and its checkpoint if it has one."),
    )
    lesson = models.ForeignKey(
        "learning_series.LessonPage",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lesson"),
        help_text=_("Passing its checkpoint, or reading it to the end if it has none."),
    )
    external_training = models.ForeignKey(
        ExternalTraining,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("external training or drill"),
    )
    due_rule = models.CharField(
        _("due"), max_length=24, choices=DueRule.choices, default=DueRule.FIXED_DATE
    )
    due_date = models.DateField(
        _("due date"),
        null=True,
        blank=True,
        help_text=_("For a fixed date; when it recurs, the same day every year."),
    )
    due_days = models.PositiveSmallIntegerField(
        _("days allowed"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
    )
    recurrence = models.CharField(
        _("recurrence"),
        max_length=16,
        choices=Recurrence.choices,
        default=Recurrence.NONE,
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("series"),
                FieldPanel("lesson"),
                FieldPanel("external_training"),
            ],
            heading=_("What"),
        ),
        FieldRowPanel(
            [
                FieldPanel("due_rule"),
                FieldPanel("due_date"),
                FieldPanel("due_days"),
                FieldPanel("recurrence"),
            ]
        ),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("curriculum item")
        verbose_name_plural = _("curriculum items")
        constraints = [
            models.CheckConstraint(
                condition=names_one_thing(), name="training_item_names_one_thing"
            )
        ]

    def __str__(self) -> str:
        return str(self.target or "")

    @property
    def target(self):
        return self.series or self.lesson or self.external_training

    def clean(self):
        super().clean()
        chosen = [
            self.series_id is not None,
            self.lesson_id is not None,
            self.external_training_id is not None,
        ]
        if sum(chosen) != 1:
            raise ValidationError(
                _("Choose exactly one lesson, series or external training.")
            )
        if self.due_rule == DueRule.FIXED_DATE:
            if self.due_date is None:
                raise ValidationError(
                    {"due_date": _("Give the date by which this must be done.")}
                )
        elif self.due_days is None:
            raise ValidationError({"due_days": _("Give the number of days allowed.")})
