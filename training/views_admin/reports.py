"""Compliance reports for training admins (and rates for editors): Wagtail
ReportViews with their CSV and XLSX exports, guarded by permission policies.

Rows are computed by training.compliance, which asks training.permissions
again; the exports carry the same rows as the page (the whole list, not one
page of it) and cannot carry formulas (SafeSpreadsheetExportMixin).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.reports import ReportView

from cms.spreadsheets import SafeSpreadsheetExportMixin

from ..compliance import (
    BREAKDOWNS,
    certified_rows,
    completion_rates,
    compliance_matrix_rows,
    curriculum_items,
    overdue_rows,
    staff_profiles_matching,
)
from ..filters import CurriculumStaffFilterSet, RateFilterSet, StaffFilterSet
from ..models import Curriculum
from ..permissions import SEE_PEOPLE, SEE_RATES, requirement_policy


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


class PersonColumn(Column):
    """The person's name, linking to their training in the admin."""

    cell_template_name = "wagtailadmin/tables/title_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        profile = getattr(instance, "profile", instance)
        context["link_url"] = reverse("training_staff", args=[profile.user_id])
        context["value"] = _name(profile.user)
        return context


# Column headings of every report, on the page and in the exports.
HEADINGS = {
    "staff_number": _("Staff number"),
    "name": _("Name"),
    "division": _("Division"),
    "post": _("Post"),
    "group": _("Group"),
    "people": _("People"),
    "required": _("Items required"),
    "met": _("Completed or waived"),
    "rate": _("Completion rate (%)"),
    "overdue": _("Overdue"),
    "item": _("Item"),
    "curriculum": _("Curriculum"),
    "due_on": _("Due"),
    "days_overdue": _("Days overdue"),
    "role": _("Certified for"),
    "certified_on": _("Certified on"),
    "valid_until": _("Valid until"),
}


def _columns(*fields: str) -> list[Column]:
    """Columns with their headings: the name links to the person's training,
    dates are dates."""
    columns = []
    for field in fields:
        if field == "name":
            columns.append(PersonColumn(field, label=HEADINGS[field]))
        elif field in ("due_on", "certified_on", "valid_until"):
            columns.append(DateColumn(field, label=HEADINGS[field]))
        else:
            columns.append(Column(field, label=HEADINGS[field]))
    return columns


class _Row:
    """A row of a report that is not a model instance."""


def _with_person(row, profile):
    """Give a report row the person's columns."""
    row.staff_number = profile.staff_number or ""
    row.name = _name(profile.user)
    row.division = str(profile.division)
    row.post = str(profile.post)
    return row


class _Report(SafeSpreadsheetExportMixin, ReportView):
    export_headings = HEADINGS
    permission_policy = requirement_policy
    permission_required = SEE_PEOPLE
    header_icon = "table"
    paginate_by = 50

    @cached_property
    def today(self):
        from django.utils import timezone

        return timezone.localdate()

    def staff(self):
        filters = self.filters
        return staff_profiles_matching(
            division=filters.value("division"),
            post=filters.value("post"),
            role=filters.value("role"),
            today=self.today,
        )

    def filter_queryset(self, queryset):
        # The filters are read by get_queryset and handed to the selectors.
        return queryset


class ComplianceMatrixView(_Report):
    """Staff × curriculum item: each person's status, by default for 必修."""

    page_title = _("Training matrix")
    index_url_name = "training_reports:matrix"
    index_results_url_name = "training_reports:matrix_results"
    filterset_class = CurriculumStaffFilterSet
    export_filename = "training-matrix"

    @cached_property
    def curriculum(self) -> Curriculum | None:
        chosen = self.filters.value("curriculum")
        if chosen is not None:
            return chosen
        published = Curriculum.objects.filter(live=True)
        return published.filter(for_all_staff=True).first() or published.first()

    @cached_property
    def items(self):
        return curriculum_items(self.curriculum) if self.curriculum else []

    def get_page_subtitle(self):
        return str(self.curriculum) if self.curriculum else ""

    def get_queryset(self):
        return self.staff() if self.curriculum else self.staff().none()

    @cached_property
    def no_results_message(self):
        if self.curriculum is None:
            return _("No curriculum is published yet.")
        return super().no_results_message

    def _decorate(self, profiles):
        profiles = list(profiles)
        if self.curriculum is None:
            return profiles
        rows = compliance_matrix_rows(
            viewer=self.request.user,
            curriculum=self.curriculum,
            profiles=profiles,
            today=self.today,
        )
        for profile, row in zip(profiles, rows, strict=True):
            profile.matrix_cells = row.cells
        return profiles

    def paginate_queryset(self, queryset, page_size):
        paginator, page, object_list, is_paginated = super().paginate_queryset(
            queryset, page_size
        )
        object_list = self._decorate(object_list)
        page.object_list = object_list
        return paginator, page, object_list, is_paginated

    def decorate_paginated_queryset(self, object_list):
        if self.is_export:
            return self._decorate(object_list)
        return object_list

    @staticmethod
    def _cell_text(state, with_date: bool = True) -> str:
        if state is None:
            return str(_("Not required"))
        text = state.status_label
        if with_date and state.completed_on and state.is_met:
            return f"{text}（{state.completed_on.isoformat()}）"
        if with_date and not state.is_met:
            return f"{text}（{_('due')} {state.due_on.isoformat()}）"
        return text

    @cached_property
    def columns(self):
        columns = _columns("staff_number", "name", "division", "post")
        for index, item in enumerate(self.items):
            columns.append(
                Column(
                    f"item_{index}",
                    label=str(item.target),
                    accessor=lambda profile, index=index: self._cell_text(
                        profile.matrix_cells[index]
                    ),
                )
            )
        return columns

    @cached_property
    def list_export(self):
        return ["staff_number", "name", "division", "post"] + [
            f"item_{index}" for index in range(len(self.items))
        ]

    @cached_property
    def export_headings(self):
        headings = dict(HEADINGS)
        for index, item in enumerate(self.items):
            headings[f"item_{index}"] = str(item.target)
        return headings

    def to_row_dict(self, item):
        person = _with_person(_Row(), item)
        row = {field: getattr(person, field) for field in self.list_export[:4]}
        for index in range(len(self.items)):
            row[f"item_{index}"] = self._cell_text(item.matrix_cells[index])
        return row


class CompletionRatesView(_Report):
    """Completion rates by division, post or job role: no names, and no group
    smaller than k (editors see this report too)."""

    permission_required = None
    any_permission_required = [SEE_PEOPLE, SEE_RATES]
    page_title = _("Completion rates")
    index_url_name = "training_reports:rates"
    index_results_url_name = "training_reports:rates_results"
    results_template_name = "training/admin/rates_results.html"
    filterset_class = RateFilterSet
    export_filename = "training-completion-rates"
    list_export = ["group", "people", "required", "met", "rate", "overdue"]
    columns = _columns(*list_export)

    @cached_property
    def breakdown(self) -> str:
        return self.filters.value("breakdown") or "division"

    def get_page_subtitle(self):
        return str(BREAKDOWNS[self.breakdown])

    @cached_property
    def report(self):
        return completion_rates(
            viewer=self.request.user,
            breakdown=self.breakdown,
            curriculum=self.filters.value("curriculum"),
            today=self.today,
        )

    def get_queryset(self):
        return self.report.rows

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["hidden_groups"] = self.report.hidden_groups
        context["smallest_group"] = self.report.smallest_group
        return context


class OverdueView(_Report):
    """Requirements past due and not met, with the days overdue."""

    page_title = _("Overdue training")
    index_url_name = "training_reports:overdue"
    index_results_url_name = "training_reports:overdue_results"
    filterset_class = CurriculumStaffFilterSet
    export_filename = "training-overdue"
    columns = _columns(
        "staff_number",
        "name",
        "division",
        "item",
        "curriculum",
        "due_on",
        "days_overdue",
    )
    list_export = [
        "staff_number",
        "name",
        "division",
        "post",
        "item",
        "curriculum",
        "due_on",
        "days_overdue",
    ]

    def get_queryset(self):
        rows = overdue_rows(
            viewer=self.request.user,
            profiles=self.staff(),
            curriculum=self.filters.value("curriculum"),
            today=self.today,
        )
        for row in rows:
            requirement = row.state.requirement
            _with_person(row, row.profile)
            row.item = str(requirement.target)
            row.curriculum = str(requirement.curriculum)
            row.due_on = requirement.due_on
        return rows


class CertificationsView(_Report):
    """Skill certifications (スキル認定) held, by role."""

    page_title = _("Skill certifications")
    index_url_name = "training_reports:certifications"
    index_results_url_name = "training_reports:certifications_results"
    filterset_class = StaffFilterSet
    export_filename = "training-certifications"
    list_export = [
        "staff_number",
        "name",
        "division",
        "post",
        "role",
        "certified_on",
        "valid_until",
    ]
    columns = _columns(*list_export)

    def get_queryset(self):
        rows = certified_rows(
            viewer=self.request.user,
            profiles=self.staff(),
            role=self.filters.value("role"),
            today=self.today,
        )
        for row in rows:
            certification = row.certification
            _with_person(row, row.profile)
            row.role = str(certification.role)
            row.certified_on = certification.certified_on
            row.valid_until = certification.valid_until
        return rows
