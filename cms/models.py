"""The site's home page and the four-eyes approval task of the editorial workflow."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import AbstractGroupApprovalTask, Page

from .page_caching import (
    CachedRouteMixin,
    CachedViewRestrictionsMixin,
    PersonalPageCacheMixin,
)


class HomePage(
    PersonalPageCacheMixin, CachedRouteMixin, CachedViewRestrictionsMixin, Page
):
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
        from .extension_points import home_page_panels

        context = super().get_context(request, *args, **kwargs)
        context["panels"] = home_page_panels(request, self)
        return context


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
