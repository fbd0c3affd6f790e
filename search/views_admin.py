"""Admin reports on the query log: what staff search for, and what they miss."""

from __future__ import annotations

from datetime import datetime, timedelta

import django_filters
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
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


def recorded_hour(value: datetime | None) -> str:
    """A logged time as it was recorded: to the hour, never finer.

    The log keeps the hour only (search.services.search_query_record), so a
    time such as 14:00 or "12 minutes ago" would claim what it does not know.
    """
    if value is None:
        return ""
    start = timezone.localtime(value)
    end = start + timedelta(hours=1)
    return _("%(date)s, %(start)s–%(end)s") % {
        "date": date_format(start, "DATE_FORMAT"),
        "start": start.strftime("%H:00"),
        "end": end.strftime("%H:00"),
    }


class RecordedHourColumn(Column):
    def get_value(self, instance):
        return recorded_hour(super().get_value(instance))


class SearchQueryFilterSet(WagtailFilterSet):
    """The period a report covers. It only offers the form: the selectors
    apply the period (see _QueryLogReport.filter_queryset)."""

    searched_at = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Searched between"),
        widget=DateRangePickerWidget,
        method="keep",
    )

    class Meta:
        model = SearchQuery
        fields: list[str] = []

    def keep(self, queryset, name, value):
        return queryset


class _QueryLogReport(SafeSpreadsheetExportMixin, ReportView):
    permission_policy = search_query_permission_policy
    permission_required = "view"
    header_icon = "search"
    paginate_by = 50
    filterset_class = SearchQueryFilterSet
    export_headings = {
        "query_folded": gettext_lazy("Query"),
        "searches": gettext_lazy("Searches"),
        "average_results": gettext_lazy("Average number of results"),
        "last_searched_at": gettext_lazy("Last searched (hour)"),
    }
    # Spreadsheets show the hour as the screen does, in the site's time zone
    # (Wagtail would otherwise write UTC datetimes to XLSX).
    custom_field_preprocess = {
        "last_searched_at": {
            ReportView.FORMAT_CSV: recorded_hour,
            ReportView.FORMAT_XLSX: recorded_hour,
        }
    }

    @cached_property
    def period(self) -> dict[str, datetime | None]:
        """The chosen period as the selectors take it; open when none is valid."""
        chosen = None
        if self.filters and self.filters.is_valid():
            chosen = self.filters.form.cleaned_data.get("searched_at")
        return {
            "searched_from": chosen.start if chosen else None,
            "searched_until": chosen.stop if chosen else None,
        }

    def filter_queryset(self, queryset):
        # The selector has applied the period; the rows are grouped by then.
        return queryset


class FrequentSearchesReport(_QueryLogReport):
    page_title = gettext_lazy("Frequent searches")
    index_url_name = "gofun_search_reports:frequent"
    index_results_url_name = "gofun_search_reports:frequent_results"
    columns = [
        Column("query_folded", label=gettext_lazy("Query")),
        Column("searches", label=gettext_lazy("Searches")),
        _AverageColumn(
            "average_results", label=gettext_lazy("Average number of results")
        ),
        RecordedHourColumn("last_searched_at", label=gettext_lazy("Last searched")),
    ]
    list_export = ["query_folded", "searches", "average_results", "last_searched_at"]

    def get_queryset(self):
        return search_queries_most_frequent(**self.period)


class ZeroResultSearchesReport(_QueryLogReport):
    page_title = gettext_lazy("Searches without results")
    index_url_name = "gofun_search_reports:zero_results"
    index_results_url_name = "gofun_search_reports:zero_results_results"
    columns = [
        Column("query_folded", label=gettext_lazy("Query")),
        Column("searches", label=gettext_lazy("Searches")),
        RecordedHourColumn("last_searched_at", label=gettext_lazy("Last searched")),
    ]
    list_export = ["query_folded", "searches", "last_searched_at"]

    def get_queryset(self):
        return search_queries_without_results(**self.period)
