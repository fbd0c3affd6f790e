"""The organisation training is built on: job roles, divisions, posts and staff.

These models began in `cms` and keep their tables (`cms_*`), so moving them
into an app of their own rewrote no data.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.models import Orderable
from wagtail.search import index


class JobRole(models.Model):
    """A job role that decides which training a person must take."""

    code = models.SlugField(
        _("code"),
        max_length=32,
        unique=True,
        help_text=_("A stable identifier used by curricula and reports."),
    )
    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("code"),
        FieldPanel("description"),
        FieldPanel("sort_order"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        db_table = "cms_jobrole"
        ordering = ["sort_order", "name"]
        verbose_name = _("job role")
        verbose_name_plural = _("job roles")

    def __str__(self) -> str:
        return self.name


class Division(models.Model):
    """A division (課室) of the ministry, with the manager overdue training
    escalates to."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.SlugField(_("code"), max_length=32, unique=True)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="divisions_managed",
        verbose_name=_("manager (課室長)"),
        help_text=_("Receives the digest of this division's overdue training."),
    )

    panels = [FieldPanel("name"), FieldPanel("code"), FieldPanel("manager")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        db_table = "cms_division"
        ordering = ["name"]
        verbose_name = _("division")
        verbose_name_plural = _("divisions")

    def __str__(self) -> str:
        return self.name


class Post(models.Model):
    """Where a person serves: the ministry itself or a mission abroad."""

    class Kind(models.TextChoices):
        HEADQUARTERS = "headquarters", _("Headquarters (本省)")
        MISSION = "mission", _("Overseas mission (在外公館)")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)

    panels = [FieldPanel("name"), FieldPanel("kind")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        db_table = "cms_post"
        ordering = ["kind", "name"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")

    def __str__(self) -> str:
        return self.name


staff_number_validator = RegexValidator(
    r"^[0-9A-Za-z-]{1,20}\Z",
    _("Use 1 to 20 letters, digits or hyphens."),
)


class StaffProfile(ClusterableModel):
    """A member of staff as HR knows them: number, division, post, joining date
    and the job roles they hold, each from a date."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_profile",
        verbose_name=_("user"),
    )
    # Unique for HR; NULL (not "", which would collide) only for profiles
    # made before numbers were kept.
    staff_number = models.CharField(  # noqa: DJ001
        _("staff number (職員番号)"),
        max_length=20,
        unique=True,
        null=True,
        validators=[staff_number_validator],
    )
    division = models.ForeignKey(
        Division,
        on_delete=models.PROTECT,
        related_name="staff",
        verbose_name=_("division"),
    )
    post = models.ForeignKey(
        Post, on_delete=models.PROTECT, related_name="staff", verbose_name=_("post")
    )
    joined_on = models.DateField(
        _("joined on"),
        null=True,
        help_text=_(
            "The day the person joined; due dates for new staff count from it."
        ),
    )

    panels = [
        FieldPanel("user"),
        FieldRowPanel([FieldPanel("staff_number"), FieldPanel("joined_on")]),
        FieldRowPanel([FieldPanel("division"), FieldPanel("post")]),
        InlinePanel(
            "role_assignments",
            heading=_("Job roles"),
            label=_("Job role"),
            help_text=_(
                "Add a role from the day the person takes it on; give an end date "
                "when they give it up, so their records stay."
            ),
        ),
    ]

    class Meta:
        db_table = "cms_staffprofile"
        ordering = ["user__username"]
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self) -> str:
        full_name = self.user.get_full_name()
        return full_name or self.user.get_username()


class RoleAssignmentQuerySet(models.QuerySet):
    def held_on(self, day) -> RoleAssignmentQuerySet:
        """Assignments in force on `day` (the end date is the last day held)."""
        return self.filter(
            Q(started_on__lte=day), Q(ended_on__isnull=True) | Q(ended_on__gte=day)
        )


class RoleAssignment(Orderable):
    """A person holds a job role from a start date, until an optional end date."""

    profile = ParentalKey(
        StaffProfile,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name=_("staff profile"),
    )
    role = models.ForeignKey(
        JobRole,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("job role"),
    )
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(
        _("until"),
        null=True,
        blank=True,
        help_text=_("The last day in the role; empty while the person holds it."),
    )

    objects = RoleAssignmentQuerySet.as_manager()

    panels = [
        FieldRowPanel(
            [FieldPanel("role"), FieldPanel("started_on"), FieldPanel("ended_on")]
        )
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("job role assignment")
        verbose_name_plural = _("job role assignments")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="organisation_assignment_ends_after_start",
                violation_error_message=_("The end date is before the start date."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.role} ({self.started_on}–{self.ended_on or ''})"

    def clean(self):
        super().clean()
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            raise ValidationError(
                {"ended_on": _("The end date is before the start date.")}
            )
