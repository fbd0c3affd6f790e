"""Admin views: item analysis for editors, voiding ledger records for training admins.

Item analysis needs the permission quizzes.view_item_analysis.

The list is a Wagtail ReportView (with its spreadsheet export); the per-quiz
page is a plain admin template view because its rows are computed figures,
not model instances.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import InspectView, WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets import HeaderButton

from cms.spreadsheets import SafeSpreadsheetExportMixin

from .analysis import (
    FLAG_POOR_DISCRIMINATION,
    FLAG_TOO_EASY,
    FLAG_TOO_HARD,
    POOR_DISCRIMINATION,
    TOO_EASY,
    TOO_HARD,
    quiz_item_analysis,
)
from .models import Attempt, CompletionRecord, Quiz
from .services import QuizError, completion_record_void

PERMISSION = "quizzes.view_item_analysis"
FLAG_LABELS = {
    FLAG_TOO_EASY: _("Too easy"),
    FLAG_TOO_HARD: _("Too hard"),
    FLAG_POOR_DISCRIMINATION: _("Discriminates poorly"),
}


class ItemAnalysisPermissionMixin:
    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ItemAnalysisIndexView(
    ItemAnalysisPermissionMixin, SafeSpreadsheetExportMixin, ReportView
):
    page_title = _("Item analysis")
    header_icon = "help"
    index_url_name = "quizzes_item_analysis"
    index_results_url_name = "quizzes_item_analysis_results"
    columns = [
        TitleColumn("title", label=_("Quiz"), url_name="quizzes_item_analysis_quiz"),
        Column("attempt_count", label=_("Attempts")),
        Column("passed_count", label=_("Passed")),
    ]
    list_export = ["title", "attempt_count", "passed_count"]
    export_headings = {
        "title": _("Quiz"),
        "attempt_count": _("Attempts"),
        "passed_count": _("Passed"),
    }

    def get_queryset(self):
        submitted = Q(attempts__state=Attempt.State.SUBMITTED)
        return Quiz.objects.annotate(
            attempt_count=Count("attempts", filter=submitted),
            passed_count=Count("attempts", filter=submitted & Q(attempts__passed=True)),
        ).order_by("title")


class ItemAnalysisQuizView(
    ItemAnalysisPermissionMixin, WagtailAdminTemplateMixin, TemplateView
):
    template_name = "quizzes/admin/item_analysis_quiz.html"
    header_icon = "help"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.quiz = get_object_or_404(Quiz, pk=kwargs["quiz_id"])

    def get_page_title(self):
        return _("Item analysis")

    def get_page_subtitle(self):
        return self.quiz.title

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        statistics = quiz_item_analysis(quiz=self.quiz)
        largest_band = max((count for _, count in statistics.distribution), default=0)
        context.update(
            quiz=self.quiz,
            statistics=statistics,
            distribution=[
                (low, count, round(100 * count / largest_band) if largest_band else 0)
                for low, count in statistics.distribution
            ],
            flag_labels=FLAG_LABELS,
            thresholds={
                "too_easy": round(TOO_EASY * 100),
                "too_hard": round(TOO_HARD * 100),
                "poor": POOR_DISCRIMINATION,
            },
        )
        return context


VOID_PERMISSION = "quizzes.void_completionrecord"


class CompletionRecordInspectView(InspectView):
    """The ledger's inspect view, with "Void" for those who may void records."""

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        record = self.object
        if (
            self.request.user.has_perm(VOID_PERMISSION)
            and record.kind != CompletionRecord.Kind.VOID
            and not CompletionRecord.objects.filter(voids=record).exists()
        ):
            buttons.append(
                HeaderButton(
                    _("Void this record"),
                    url=reverse("quizzes_completion_record_void", args=[record.pk]),
                    icon_name="cross",
                )
            )
        return buttons


class VoidForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this record void?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class CompletionRecordVoidView(WagtailAdminTemplateMixin, FormView):
    """Append a void for a record; the record itself stays as it was."""

    form_class = VoidForm
    template_name = "quizzes/admin/completion_record_void.html"
    header_icon = "cross"
    page_title = _("Void a completion record")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(VOID_PERMISSION):
            raise PermissionDenied
        self.record = get_object_or_404(
            CompletionRecord.objects.select_related("user", "lesson", "series"),
            pk=kwargs["pk"],
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(record=self.record, **kwargs)

    def form_valid(self, form):
        try:
            void = completion_record_void(
                record=self.record,
                by=self.request.user,
                reason=form.cleaned_data["reason"],
            )
        except QuizError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("The record is void; the void is recorded."))
        return redirect("completion_ledger:inspect", pk=void.pk)
