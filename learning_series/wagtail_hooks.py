"""Admin wiring for lessons: Markdown import, the import log action, reading time."""

from __future__ import annotations

from django.contrib import messages
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button
from wagtail.log_actions import LogFormatter
from wagtail.permission_policies.pages import PagePermissionPolicy

from . import reading
from .models import LessonPage, SeriesPage
from .services import LESSON_IMPORT_ACTION
from .views import MarkdownImportView


@hooks.register("register_admin_urls")
def register_markdown_import_url():
    return [
        path(
            "lessons/import-markdown/",
            MarkdownImportView.as_view(),
            name="learning_series_markdown_import",
        )
    ]


class MarkdownImportMenuItem(MenuItem):
    def is_shown(self, request):
        return PagePermissionPolicy().user_has_permission(request.user, "add")


@hooks.register("register_admin_menu_item")
def register_markdown_import_menu_item():
    return MarkdownImportMenuItem(
        gettext_lazy("Import Markdown"),
        reverse("learning_series_markdown_import"),
        icon_name="upload",
        order=250,
    )


@hooks.register("register_page_header_buttons")
def markdown_import_button(page, user, view_name=None, next_url=None):
    if isinstance(page.specific_deferred, SeriesPage) and (
        page.permissions_for_user(user).can_add_subpage()
    ):
        yield Button(
            _("Import Markdown"),
            reverse("learning_series_markdown_import") + f"?series={page.pk}",
            icon_name="upload",
            priority=16,
        )


@hooks.register("register_log_actions")
def register_lesson_log_actions(actions):
    @actions.register_action(LESSON_IMPORT_ACTION)
    class LessonImportFormatter(LogFormatter):
        label = gettext_lazy("Import from Markdown")

        def format_message(self, log_entry):
            try:
                return _("Imported from %(file)s (%(slides)d slides)") % {
                    "file": log_entry.data["source"],
                    "slides": log_entry.data["slides"],
                }
            except (KeyError, TypeError):
                return _("Imported from Markdown")


def _warn_when_over_budget(request, page):
    page = page.specific_deferred
    if isinstance(page, LessonPage):
        # The saved draft, which is what the editor just wrote.
        draft = page.get_latest_revision_as_object()
        if draft.over_reading_budget:
            messages.warning(
                request,
                _(
                    "“%(title)s” takes about %(minutes)d minutes to read, past the "
                    "%(budget)d-minute budget."
                )
                % {
                    "title": draft.title,
                    "minutes": draft.reading_minutes,
                    "budget": reading.BUDGET_MINUTES,
                },
            )


hooks.register("after_create_page", _warn_when_over_budget)
hooks.register("after_edit_page", _warn_when_over_budget)
