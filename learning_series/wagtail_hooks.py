"""Admin wiring for lessons: Markdown and PowerPoint import, PowerPoint export,
their audit log actions, the reading-time warning; and the visibility rule on
every page Wagtail serves."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.urls import path, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button
from wagtail.log_actions import LogFormatter
from wagtail.permission_policies.pages import PagePermissionPolicy

from cms.extension_points import DEMO_LOADERS, HOME_PAGE_PANELS, TemplatePanel

from . import reading
from .extension_points import with_view_counts
from .models import LessonPage, SeriesPage
from .pptx.forms import series_open_to
from .pptx.services import EXPORT_LOG_ACTION, IMPORT_LOG_ACTION
from .pptx.views import PptxImportView, pptx_export_view
from .selectors import home_series_fragment_key, series_list_for_home
from .services import LESSON_IMPORT_ACTION
from .views import MarkdownImportView
from .visibility import page_refusal_for


@hooks.register("before_serve_page")
def refuse_pages_the_person_may_not_see(page, request, serve_args, serve_kwargs):
    """Wagtail checks only the page's own `live` and its view restrictions; a
    lesson whose series alone is unpublished, or one under a group restriction
    the person is outside, is not found. A password restriction is left to
    Wagtail's own hook, which asks for the password."""
    refusal = page_refusal_for(
        page=page,
        user=getattr(request, "user", None),
        session=getattr(request, "session", None),
    )
    if refusal == "hidden":
        raise Http404
    return None


@hooks.register("register_admin_urls")
def register_lesson_admin_urls():
    return [
        path(
            "lessons/import-markdown/",
            MarkdownImportView.as_view(),
            name="learning_series_markdown_import",
        ),
        path(
            "lessons/import-pptx/",
            PptxImportView.as_view(),
            name="learning_series_pptx_import",
        ),
        path(
            "lessons/<id:lesson_id>/export-pptx/",
            pptx_export_view,
            name="learning_series_pptx_export",
        ),
    ]


class MarkdownImportMenuItem(MenuItem):
    def is_shown(self, request):
        return PagePermissionPolicy().user_has_permission(request.user, "add")


class PptxImportMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(series_open_to(request.user))


@hooks.register("register_admin_menu_item")
def register_markdown_import_menu_item():
    return MarkdownImportMenuItem(
        gettext_lazy("Import Markdown"),
        reverse("learning_series_markdown_import"),
        icon_name="upload",
        order=240,
    )


@hooks.register("register_admin_menu_item")
def register_pptx_import_menu_item():
    return PptxImportMenuItem(
        gettext_lazy("Import from PowerPoint"),
        reverse("learning_series_pptx_import"),
        name="pptx-import",
        icon_name="upload",
        order=250,
    )


def _lesson_buttons(page, user, *, markdown_import: bool):
    specific = page.specific_class
    if specific is SeriesPage and page.permissions_for_user(user).can_add_subpage():
        if markdown_import:
            yield Button(
                _("Import Markdown"),
                reverse("learning_series_markdown_import") + f"?series={page.pk}",
                icon_name="upload",
                priority=15,
            )
        yield Button(
            _("Import from PowerPoint"),
            reverse("learning_series_pptx_import") + f"?series={page.pk}",
            icon_name="upload",
            priority=16,
        )
    if specific is LessonPage and page.permissions_for_user(user).can_edit():
        yield Button(
            _("Export to PowerPoint"),
            reverse("learning_series_pptx_export", args=[page.pk]),
            icon_name="download",
            priority=66,
        )


@hooks.register("register_page_header_buttons")
def register_lesson_header_buttons(page, user, view_name=None, next_url=None):
    yield from _lesson_buttons(page, user, markdown_import=True)


@hooks.register("register_page_listing_more_buttons")
def register_lesson_listing_buttons(page, user, next_url=None):
    yield from _lesson_buttons(page, user, markdown_import=False)


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

    actions.register_action(
        IMPORT_LOG_ACTION,
        gettext_lazy("Import from PowerPoint"),
        gettext_lazy("Imported from PowerPoint"),
    )
    actions.register_action(
        EXPORT_LOG_ACTION,
        gettext_lazy("Export to PowerPoint"),
        gettext_lazy("Exported to PowerPoint"),
    )


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


@hooks.register(HOME_PAGE_PANELS, order=300)
def register_home_series_panel(request, page):
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    return TemplatePanel(
        "learning_series/includes/home_series_panel.html",
        fragment_key=home_series_fragment_key(
            home=page,
            user=user,
            session=session,
            preview=getattr(request, "is_preview", False),
        ),
        # Read only when the shared fragment is not cached yet (or a preview).
        series_list=SimpleLazyObject(
            lambda: with_view_counts(
                series_list_for_home(home=page, user=user, session=session),
                user=user,
                session=session,
            )
        ),
    )


@hooks.register(DEMO_LOADERS, order=20)
def register_lessons_demo(report):
    from .demo import learning_series_demo_load

    learning_series_demo_load(report)
