"""Admin wiring for lessons: PowerPoint import and export, and their audit log."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets.button import Button

from .models import LessonPage, SeriesPage
from .pptx.forms import series_open_to
from .pptx.services import EXPORT_LOG_ACTION, IMPORT_LOG_ACTION
from .pptx.views import PptxImportView, pptx_export_view


@hooks.register("register_log_actions")
def register_pptx_log_actions(actions):
    actions.register_action(
        IMPORT_LOG_ACTION, _("Import from PowerPoint"), _("Imported from PowerPoint")
    )
    actions.register_action(
        EXPORT_LOG_ACTION, _("Export to PowerPoint"), _("Exported to PowerPoint")
    )


@hooks.register("register_admin_urls")
def register_pptx_urls():
    return [
        path(
            "lessons/import-pptx/",
            PptxImportView.as_view(),
            name="learning_series_pptx_import",
        ),
        path(
            "lessons/<int:lesson_id>/export-pptx/",
            pptx_export_view,
            name="learning_series_pptx_export",
        ),
    ]


class PptxImportMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(series_open_to(request.user))


@hooks.register("register_admin_menu_item")
def register_pptx_import_menu_item():
    return PptxImportMenuItem(
        _("Import from PowerPoint"),
        reverse("learning_series_pptx_import"),
        name="pptx-import",
        icon_name="upload",
        order=250,
    )


def _pptx_buttons(page, user):
    specific = page.specific_class
    if specific is SeriesPage and page.permissions_for_user(user).can_add_subpage():
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
def register_pptx_header_buttons(page, user, view_name, next_url=None):
    yield from _pptx_buttons(page, user)


@hooks.register("register_page_listing_more_buttons")
def register_pptx_listing_buttons(page, user, next_url=None):
    yield from _pptx_buttons(page, user)
