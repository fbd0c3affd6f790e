"""Admin views: item analysis for editors.

Item analysis needs the permission quizzes.view_item_analysis.

The list is a Wagtail ReportView (with its spreadsheet export); the per-quiz
page is a plain admin template view because its rows are computed figures,
not model instances.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView

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
from .models import Attempt, Quiz

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
