"""Admin wiring for the editorial workflow: the four-eyes notice to submitters,
and display names in the workflow's audit log messages; names and roles
Wagtail's admin leaves out (cms/static/cms/admin_accessibility.js)."""

from django.contrib import messages
from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks

from .display_names import show_display_names_in_workflow_log
from .models import OWN_SUBMISSION_MESSAGE, FourEyesApprovalTask


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


# After Wagtail's own registration (order 0), which it wraps.
hooks.register("register_log_actions", show_display_names_in_workflow_log, order=100)


@hooks.register("insert_global_admin_js")
def admin_accessibility_fixes():
    return format_html(
        '<script src="{}" defer></script>', static("cms/admin_accessibility.js")
    )
