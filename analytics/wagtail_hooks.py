"""Admin and site wiring for view logging: the view event and beacon on each
lesson served, view counts on series and lessons, the evidence that reading
to the end asks for, the ニーズ分析 dashboard, and the demo."""

from __future__ import annotations

import logging
from functools import cache

from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from cms.extension_points import DEMO_LOADERS
from learning_series.extension_points import LESSON_SERVED, PAGE_VIEW_COUNTS
from training.reading_evidence import READING_EVIDENCE

from .models import NEEDS_ANALYSIS_PERMISSION
from .selectors import page_view_counts, reading_refusal_for
from .services import lesson_view_start, view_token
from .views_admin import NeedsDashboardView

logger = logging.getLogger("gofun.analytics")


@cache
def _beacon_url() -> str:
    return reverse("analytics:beacon")


class BeaconComponent(Component):
    """The view's signed id and where to report, for beacon.js, and the script
    itself (from the site: nothing inline). The script sends the CSRF token
    of the page's own forms (the site header always has one).

    Built with format_html, not a template: a template rendered inside the
    page runs every context processor again, which cost the lesson page more
    than writing the view event does.
    """

    def __init__(self, *, view_token: str, lesson_id: int):
        self.view_token = view_token
        self.lesson_id = lesson_id

    def render_html(self, parent_context=None):
        return format_html(
            '<div hidden data-gofun-beacon data-url="{}" data-view="{}" '
            'data-lesson="{}"></div>\n<script src="{}" defer></script>',
            _beacon_url(),
            self.view_token,
            self.lesson_id,
            static("analytics/beacon.js"),
        )


@hooks.register(LESSON_SERVED)
def record_lesson_view(request, lesson, series):
    """A view event for the lesson being served, and the beacon that reports
    how far it is read (nothing when the event could not be kept)."""
    view = lesson_view_start(lesson=lesson, series=series, user=request.user)
    if view is None:
        return None
    return BeaconComponent(view_token=view_token(view=view), lesson_id=lesson.pk)


@hooks.register(PAGE_VIEW_COUNTS)
def count_page_views(pages, user, session):
    return page_view_counts(pages=pages, user=user, session=session)


@hooks.register(READING_EVIDENCE)
def reading_evidence_from_views(lesson, user):
    return reading_refusal_for(lesson=lesson, user=user)


@hooks.register("register_admin_urls")
def register_needs_dashboard_url():
    return [
        path(
            "needs-analysis/",
            NeedsDashboardView.as_view(),
            name="analytics_needs_dashboard",
        ),
    ]


class NeedsAnalysisMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(NEEDS_ANALYSIS_PERMISSION)


@hooks.register("register_reports_menu_item")
def register_needs_analysis_menu_item():
    return NeedsAnalysisMenuItem(
        _("Needs analysis"),
        reverse("analytics_needs_dashboard"),
        name="needs-analysis",
        icon_name="table",
        order=100,
    )


@hooks.register(DEMO_LOADERS, order=50)
def register_views_demo(report):
    from .demo import analytics_demo_load

    analytics_demo_load(report)
