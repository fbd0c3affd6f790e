"""Admin wiring: the query log reports under Reports, for editors."""

from __future__ import annotations

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from cms.extension_points import HEADER_COMPONENTS, TemplatePanel

from .views_admin import (
    FrequentSearchesReport,
    ZeroResultSearchesReport,
    search_query_permission_policy,
)

report_urls = [
    path("frequent/", FrequentSearchesReport.as_view(), name="frequent"),
    path(
        "frequent/results/",
        FrequentSearchesReport.as_view(results_only=True),
        name="frequent_results",
    ),
    path("zero-results/", ZeroResultSearchesReport.as_view(), name="zero_results"),
    path(
        "zero-results/results/",
        ZeroResultSearchesReport.as_view(results_only=True),
        name="zero_results_results",
    ),
]


@hooks.register("register_admin_urls")
def register_search_report_urls():
    return [
        path(
            "reports/searches/",
            include(
                (report_urls, "gofun_search_reports"), namespace="gofun_search_reports"
            ),
        )
    ]


class _QueryLogMenuItem(MenuItem):
    def is_shown(self, request):
        return search_query_permission_policy.user_has_permission(request.user, "view")


@hooks.register("register_reports_menu_item")
def register_frequent_searches_menu_item():
    return _QueryLogMenuItem(
        _("Frequent searches"),
        reverse("gofun_search_reports:frequent"),
        name="frequent-searches",
        icon_name="search",
        order=1300,
    )


@hooks.register("register_reports_menu_item")
def register_zero_result_searches_menu_item():
    return _QueryLogMenuItem(
        _("Searches without results"),
        reverse("gofun_search_reports:zero_results"),
        name="zero-result-searches",
        icon_name="search",
        order=1310,
    )


@hooks.register(HEADER_COMPONENTS)
def register_header_search_form(request):
    return TemplatePanel("search/includes/header_search_form.html")
