"""The ニーズ分析 dashboard in the admin, and the CSV export of each table.

A plain admin template view, not a ReportView: its tables are computed
figures from several sources, not a queryset of one model. Who may see it is
the permission analytics.view_needs_analysis (editors and training admins, by
migration); nobody sees a name, only figures about groups of at least k.
"""

from __future__ import annotations

import csv
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from cms.spreadsheets import spreadsheet_safe

from .charts import bar_chart, column_chart
from .forms import NeedsAnalysisForm
from .models import NEEDS_ANALYSIS_PERMISSION
from .needs import NeedsAnalysis, Table, needs_analysis, period_label
from .tasks import rollups_catch_up_task


def _display(value, kind: str) -> str:
    if value is None or value == "":
        return "—"
    if kind == "text":
        return str(value)
    if kind == "percent":
        return f"{value * 100:.0f}%"
    if kind == "decimal":
        return f"{value:.2f}"
    if kind == "seconds":
        minutes, seconds = divmod(int(value), 60)
        return _("%(minutes)d min %(seconds)02d s") % {
            "minutes": minutes,
            "seconds": seconds,
        }
    return f"{value:,}"


def _display_rows(table: Table) -> list[list[str]]:
    return [
        [_display(row.get(column.key), column.kind) for column in table.columns]
        for row in table.rows
    ]


def _csv_response(table: Table, *, since, until) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="needs-{table.name}-{since}-{until}.csv"'
    )
    response.write("\ufeff")  # Excel reads UTF-8 only with a byte-order mark
    writer = csv.writer(response)
    writer.writerow([spreadsheet_safe(str(column.label)) for column in table.columns])
    for row in table.rows:
        writer.writerow([spreadsheet_safe(value) for value in table.values(row)])
    return response


class NeedsDashboardView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "analytics/admin/needs_dashboard.html"
    page_title = gettext_lazy("Needs analysis")
    header_icon = "table"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(NEEDS_ANALYSIS_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        self.form = NeedsAnalysisForm(request.GET, today=timezone.localdate())
        export = request.GET.get("export")
        if not self.form.is_valid():
            if export is not None:
                return HttpResponse(
                    " ".join(
                        str(message)
                        for messages in self.form.errors.values()
                        for message in messages
                    ),
                    status=400,
                    content_type="text/plain; charset=utf-8",
                )
            self.analysis = None
            return self.render_to_response(self.get_context_data(), status=400)
        data = self.form.cleaned_data
        # The form shows the range in force (the defaults filled in).
        self.form = NeedsAnalysisForm(
            {
                "since": data["since"].isoformat(),
                "until": data["until"].isoformat(),
                "series": data["series"].pk if data["series"] else "",
                "lesson": data["lesson"].pk if data["lesson"] else "",
            },
            today=self.form.today,
        )
        self.form.is_valid()
        # Bring the roll-ups up to date (today so far included) first.
        rollups_catch_up_task.enqueue()
        self.analysis = needs_analysis(
            since=data["since"],
            until=data["until"],
            series_id=data["series"].pk if data["series"] else None,
            lesson_id=data["lesson"].pk if data["lesson"] else None,
        )
        if export is not None:
            table = self.analysis.tables().get(export)
            if table is None:
                return HttpResponse(
                    _("There is no table of that name."),
                    status=400,
                    content_type="text/plain; charset=utf-8",
                )
            return _csv_response(table, since=data["since"], until=data["until"])
        return self.render_to_response(self.get_context_data())

    def _query(self) -> str:
        data = self.form.cleaned_data
        query = {"since": data["since"].isoformat(), "until": data["until"].isoformat()}
        if data.get("series"):
            query["series"] = data["series"].pk
        if data.get("lesson"):
            query["lesson"] = data["lesson"].pk
        return urlencode(query)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = self.form
        analysis: NeedsAnalysis | None = self.analysis
        if analysis is None:
            return context
        tables = analysis.tables()
        query = self._query()
        sections = {
            name: {
                "table": table,
                "rows": _display_rows(table),
                "export_url": f"?{query}&export={name}",
                "chart": None,
            }
            for name, table in tables.items()
        }
        viewing = analysis.viewing
        sections["series"]["chart"] = (
            "bar",
            bar_chart(
                [(row["series"], row["views"]) for row in viewing.series],
                title=tables["series"].caption,
            ),
        )
        for name in ("by_role", "by_division", "by_post"):
            sections[name]["chart"] = (
                "bar",
                bar_chart(
                    [(row["name"], row["views"]) for row in tables[name].rows],
                    title=tables[name].caption,
                ),
            )
        timeline = analysis.timeline
        labels = [period_label(period, timeline.unit) for period in timeline.periods]
        sections["over_time"]["chart"] = (
            "column",
            column_chart(
                list(zip(labels, timeline.totals, strict=True)),
                title=tables["over_time"].caption,
            ),
        )
        small_multiples = [
            {
                "id": f"chart-line-{index}",
                "title": title,
                "total": sum(counts),
                "chart": column_chart(
                    list(zip(labels, counts, strict=True)),
                    title=title,
                    height=120,
                    max_labels=4,
                ),
            }
            for index, (title, counts) in enumerate(timeline.lines, 1)
        ]
        sections["dropoff"]["chart"] = (
            "column",
            column_chart(
                [
                    (str(slide["slide"]), slide["share"] or 0)
                    for slide in analysis.dropoff.slides
                ],
                title=tables["dropoff"].caption,
                percent=True,
            ),
        )
        context.update(
            analysis=analysis,
            sections=sections,
            small_multiples=small_multiples,
            timeline_unit=timeline.unit,
        )
        return context
