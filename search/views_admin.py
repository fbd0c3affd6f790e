"""Admin reports on the query log: what staff search for, and what they miss."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from cms.spreadsheets import SafeSpreadsheetExportMixin

from .models import SearchQuery
from .selectors import search_queries_most_frequent, search_queries_without_results

search_query_permission_policy = ModelPermissionPolicy(SearchQuery)


class _AverageColumn(Column):
    def get_value(self, instance):
        value = super().get_value(instance)
        return "" if value is None else f"{value:.1f}"


class _QueryLogReport(SafeSpreadsheetExportMixin, ReportView):
    permission_policy = search_query_permission_policy
    permission_required = "view"
    header_icon = "search"
    paginate_by = 50
    export_headings = {
        "query": _("Query"),
        "searches": _("Searches"),
        "average_results": _("Average number of results"),
        "last_searched_at": _("Last searched"),
    }


class FrequentSearchesReport(_QueryLogReport):
    page_title = _("Frequent searches")
    index_url_name = "gofun_search_reports:frequent"
    index_results_url_name = "gofun_search_reports:frequent_results"
    columns = [
        Column("query", label=_("Query")),
        Column("searches", label=_("Searches")),
        _AverageColumn("average_results", label=_("Average number of results")),
        DateColumn("last_searched_at", label=_("Last searched")),
    ]
    list_export = ["query", "searches", "average_results", "last_searched_at"]

    def get_queryset(self):
        return search_queries_most_frequent()


class ZeroResultSearchesReport(_QueryLogReport):
    page_title = _("Searches without results")
    index_url_name = "gofun_search_reports:zero_results"
    index_results_url_name = "gofun_search_reports:zero_results_results"
    columns = [
        Column("query", label=_("Query")),
        Column("searches", label=_("Searches")),
        DateColumn("last_searched_at", label=_("Last searched")),
    ]
    list_export = ["query", "searches", "last_searched_at"]

    def get_queryset(self):
        return search_queries_without_results()
