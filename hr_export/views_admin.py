"""The HR export in the admin, for training admins: a report of the ledger as
HR receives it, downloadable as CSV, XLSX or xAPI statements.

It shows people and the titles of every lesson, restricted ones included, so
it asks the same permission as the ledger itself: reading completion records
(training admins; editors see no names).
"""

from __future__ import annotations

import io

import django_filters
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets import AdminDateInput, Button
from wagtail.permission_policies import ModelPermissionPolicy

from training.models import CompletionRecord

from .exports import (
    COLUMNS,
    CONTENT_TYPES,
    CSV,
    FILE_EXTENSIONS,
    FORMATS,
    XAPI,
    XLSX,
    XapiExport,
    cell_text,
    csv_chunks,
    write_xlsx,
    xapi_chunks,
)
from .lrs import lrs_configured
from .selectors import (
    completion_records_recorded_since,
    ledger_entries,
    ledger_records_without_staff_number,
    lrs_outbox_status,
)

training_records_permission_policy = ModelPermissionPolicy(CompletionRecord)


class TrainingRecordsFilterSet(WagtailFilterSet):
    since = django_filters.DateFilter(
        label=_("Recorded on or after"),
        method="filter_since",
        widget=AdminDateInput,
    )

    class Meta:
        model = CompletionRecord
        fields = []

    def filter_since(self, queryset, name, value):
        return completion_records_recorded_since(records=queryset, since=value)


class _ExportColumn(Column):
    def __init__(self, index: int, heading, value):
        super().__init__(f"column-{index}", label=heading, accessor=value)

    def get_value(self, instance):
        return cell_text(super().get_value(instance))


class TrainingRecordsReport(ReportView):
    page_title = _("Training records for HR")
    header_icon = "download"
    template_name = "hr_export/admin/training_records.html"
    index_url_name = "hr_export:training_records"
    index_results_url_name = "hr_export:training_records_results"
    permission_policy = training_records_permission_policy
    permission_required = "view"
    filterset_class = TrainingRecordsFilterSet
    paginate_by = 50
    FORMATS = FORMATS
    columns = [
        _ExportColumn(index, heading, value)
        for index, (heading, value) in enumerate(COLUMNS)
    ]

    def get_queryset(self):
        return CompletionRecord.objects.order_by("-pk")

    def get_table(self, object_list):
        if self.is_export:
            return super().get_table([])  # not shown; the file is the export
        # The page's records, read as the exports read them.
        page = {record.pk for record in object_list}
        entries = ledger_entries(records=CompletionRecord.objects.filter(pk__in=page))
        return super().get_table(sorted(entries, key=lambda entry: -entry.record_id))

    def get(self, request, *args, **kwargs):
        if self.is_export and self.filters and not self.filters.is_valid():
            # Never export everything because a date did not parse.
            self.is_export = False
            messages.error(request, _("Correct the date before downloading."))
            response = super().get(request, *args, **kwargs)
            response.status_code = 400
            return response
        return super().get(request, *args, **kwargs)

    def as_spreadsheet(self, queryset, spreadsheet_format):
        entries = ledger_entries(records=queryset)
        filename = (
            f"gofun-training-records-{timezone.localdate():%Y%m%d}."
            f"{FILE_EXTENSIONS[spreadsheet_format]}"
        )
        if spreadsheet_format == XLSX:
            output = io.BytesIO()
            write_xlsx(entries, output)
            response = HttpResponse(output.getvalue(), content_type=CONTENT_TYPES[XLSX])
        else:
            if spreadsheet_format == CSV:
                chunks = csv_chunks(entries)
            else:
                chunks = xapi_chunks(
                    entries,
                    base_url=settings.WAGTAILADMIN_BASE_URL,
                    report=XapiExport(),
                )
            response = StreamingHttpResponse(
                chunks, content_type=CONTENT_TYPES[spreadsheet_format]
            )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        for export_format, label in (
            (CSV, _("Download CSV")),
            (XLSX, _("Download XLSX")),
            (XAPI, _("Download xAPI statements (JSON)")),
        ):
            buttons.append(
                Button(
                    label,
                    url=self.get_export_url(export_format),
                    icon_name="download",
                    priority=90,
                )
            )
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["without_staff_number"] = ledger_records_without_staff_number().count()
        context["lrs_status"] = lrs_outbox_status() if lrs_configured() else None
        return context
