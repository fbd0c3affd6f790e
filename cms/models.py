"""The site's home page, the organisation (job roles, divisions, posts, staff)
and the four-eyes approval task of the editorial workflow."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import AbstractGroupApprovalTask, Page
from wagtail.search import index


class HomePage(Page):
    intro = RichTextField(
        _("introduction"), blank=True, features=["bold", "italic", "link"]
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["learning_series.SeriesIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from learning_series.selectors import series_list_for_home

        context = super().get_context(request, *args, **kwargs)
        context["series_list"] = series_list_for_home(
            home=self,
            user=getattr(request, "user", None),
            session=getattr(request, "session", None),
        )
        return context


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
        ordering = ["sort_order", "name"]
        verbose_name = _("job role")
        verbose_name_plural = _("job roles")

    def __str__(self) -> str:
        return self.name


class Division(models.Model):
    """A division (課室) of the ministry."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.SlugField(_("code"), max_length=32, unique=True)

    panels = [FieldPanel("name"), FieldPanel("code")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
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
        ordering = ["kind", "name"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")

    def __str__(self) -> str:
        return self.name


class StaffProfile(ClusterableModel):
    """Links a user to one division, one post and any number of job roles."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_profile",
        verbose_name=_("user"),
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
    roles = ParentalManyToManyField(
        JobRole, blank=True, related_name="staff", verbose_name=_("job roles")
    )

    panels = [
        FieldPanel("user"),
        FieldPanel("division"),
        FieldPanel("post"),
        FieldPanel("roles", widget=forms.CheckboxSelectMultiple),
    ]

    class Meta:
        ordering = ["user__username"]
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self) -> str:
        full_name = self.user.get_full_name()
        return full_name or self.user.get_username()


class FourEyesApprovalTask(AbstractGroupApprovalTask):
    """Group approval in which nobody approves what they submitted themselves.

    With GOFUN_FOUR_EYES on (the default), the person who submitted a page or
    snippet for review is offered no "approve" action on it, and approving
    it as them is refused; another member of the task's groups must approve.
    Every admin path (the editor's action menu, the dashboard, the workflow
    action views) asks get_actions, and on_action refuses what slips past.
    """

    class Meta:
        verbose_name = _("Group approval by someone other than the submitter")
        verbose_name_plural = _("Group approvals by someone other than the submitter")

    @staticmethod
    def refuses(*, submitter, user) -> bool:
        """Whether four eyes keeps `user` from approving `submitter`'s work."""
        return (
            getattr(settings, "GOFUN_FOUR_EYES", True)
            and user is not None
            and submitter is not None
            and submitter.pk == user.pk
        )

    def is_own_submission(self, obj, user) -> bool:
        state = getattr(obj, "current_workflow_state", None)
        submitter = getattr(state, "requested_by", None)
        return self.refuses(submitter=submitter, user=user)

    def get_actions(self, obj, user):
        actions = super().get_actions(obj, user)
        if self.is_own_submission(obj, user):
            return [action for action in actions if action[0] != "approve"]
        return actions

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve" and self.refuses(
            submitter=task_state.workflow_state.requested_by, user=user
        ):
            raise PermissionDenied(OWN_SUBMISSION_MESSAGE)
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls):
        return _(
            "Members of the chosen groups approve, but never what they "
            "submitted themselves"
        )


OWN_SUBMISSION_MESSAGE = _(
    "You submitted this for review yourself: another editor must approve it "
    "(four eyes)."
)
