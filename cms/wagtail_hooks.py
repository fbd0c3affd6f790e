"""Admin wiring for the organisation (training admins edit it as snippets), and
the four-eyes notice for a submitter looking at their own submission."""

from django.contrib import messages
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import (
    OWN_SUBMISSION_MESSAGE,
    Division,
    FourEyesApprovalTask,
    JobRole,
    Post,
    StaffProfile,
)


class JobRoleViewSet(SnippetViewSet):
    model = JobRole
    icon = "group"
    list_display = ["name", "code", "sort_order"]
    search_fields = ["name", "code"]
    search_backend_name = None


class DivisionViewSet(SnippetViewSet):
    model = Division
    icon = "folder-open-inverse"
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    search_backend_name = None


class PostViewSet(SnippetViewSet):
    model = Post
    icon = "site"
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
    search_backend_name = None


class StaffProfileViewSet(SnippetViewSet):
    model = StaffProfile
    icon = "user"
    list_display = ["user", "division", "post"]
    list_filter = ["division", "post", "roles"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    search_backend_name = None


class OrganisationViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Organisation")
    menu_icon = "group"
    menu_order = 300
    items = (StaffProfileViewSet, JobRoleViewSet, DivisionViewSet, PostViewSet)


register_snippet(OrganisationViewSetGroup)


def _tell_submitter_about_four_eyes(request, obj):
    task_state = getattr(obj, "current_workflow_task_state", None)
    task = task_state.task.specific if task_state is not None else None
    if isinstance(task, FourEyesApprovalTask) and task.is_own_submission(
        obj, request.user
    ):
        messages.info(request, OWN_SUBMISSION_MESSAGE)


@hooks.register("before_edit_page")
def four_eyes_notice_on_pages(request, page):
    if request.method == "GET":
        _tell_submitter_about_four_eyes(request, page)


@hooks.register("before_edit_snippet")
def four_eyes_notice_on_snippets(request, instance):
    if request.method == "GET":
        _tell_submitter_about_four_eyes(request, instance)
