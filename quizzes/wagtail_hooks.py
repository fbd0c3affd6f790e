"""Admin wiring: quizzes and checkpoints as snippets, the read-only ledger and
item analysis under Reports."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, UpdatedAtColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from learning_series.editing import PUBLISH_CHECKS_HOOK

from . import admin_views
from .models import Checkpoint, CompletionRecord, Quiz
from .selectors import checkpoint_for_page


class QuizViewSet(SnippetViewSet):
    model = Quiz
    icon = "help"
    list_display = ["title", UpdatedAtColumn()]
    search_fields = ["title"]
    search_backend_name = None


class CheckpointViewSet(SnippetViewSet):
    model = Checkpoint
    icon = "tick-inverse"
    list_display = [
        Column("page", label=_("Lesson or series")),
        "quiz",
        "questions_per_attempt",
        "pass_mark",
        "attempt_limit",
        "time_limit_minutes",
    ]
    list_filter = ["quiz"]


class QuizzesViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Quizzes")
    menu_icon = "help"
    menu_order = 250
    items = (QuizViewSet, CheckpointViewSet)


register_snippet(QuizzesViewSetGroup)


class AppendOnlyPermissionPolicy(ModelPermissionPolicy):
    """Nobody, not even a superuser, adds, changes or deletes records here:
    voids go through their own view and service."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class CompletionRecordViewSet(ModelViewSet):
    model = CompletionRecord
    icon = "list-ul"
    menu_label = _("Completion ledger")
    menu_order = 260
    add_to_admin_menu = True
    inspect_view_enabled = True
    inspect_view_class = admin_views.CompletionRecordInspectView
    copy_view_enabled = False
    list_display = ["recorded_at", "user", "kind", "lesson", "series", "percent"]
    list_filter = ["kind", "recorded_at"]
    list_export = [
        "recorded_at",
        "user",
        "kind",
        "lesson",
        "series",
        "page_revision_id",
        "percent",
        "voids_id",
        "reason",
        "recorded_by",
    ]
    inspect_view_fields = [
        "kind",
        "user",
        "lesson",
        "series",
        "page_revision",
        "checkpoint",
        "attempt",
        "percent",
        "recorded_at",
        "voids",
        "reason",
        "recorded_by",
    ]

    @property
    def permission_policy(self):
        return AppendOnlyPermissionPolicy(self.model)

    def get_urlpatterns(self):
        # Only reading: the add, edit and delete views are not routed at all.
        conv = self.pk_path_converter
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path(f"inspect/<{conv}:pk>/", self.inspect_view, name="inspect"),
        ]


@hooks.register("register_admin_viewset")
def register_completion_ledger():
    return CompletionRecordViewSet("completion_ledger")


@hooks.register("register_admin_urls")
def register_item_analysis_urls():
    return [
        path(
            "quizzes/item-analysis/",
            admin_views.ItemAnalysisIndexView.as_view(),
            name="quizzes_item_analysis",
        ),
        path(
            "quizzes/item-analysis/results/",
            admin_views.ItemAnalysisIndexView.as_view(results_only=True),
            name="quizzes_item_analysis_results",
        ),
        path(
            "quizzes/item-analysis/<int:quiz_id>/",
            admin_views.ItemAnalysisQuizView.as_view(),
            name="quizzes_item_analysis_quiz",
        ),
        path(
            "quizzes/completion-records/<int:pk>/void/",
            admin_views.CompletionRecordVoidView.as_view(),
            name="quizzes_completion_record_void",
        ),
    ]


class ItemAnalysisMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_views.PERMISSION)


@hooks.register("register_reports_menu_item")
def register_item_analysis_menu_item():
    return ItemAnalysisMenuItem(
        _("Item analysis"),
        reverse("quizzes_item_analysis"),
        name="item-analysis",
        icon_name="help",
        order=900,
    )


@hooks.register(PUBLISH_CHECKS_HOOK)
def lesson_without_checkpoint(lesson) -> list[str]:
    """Before publishing: say when neither the lesson nor its series ends with
    a checkpoint, so completion will be recorded on reading to the end."""
    parent = lesson.get_parent() if lesson.pk else None
    if checkpoint_for_page(page=lesson) or (
        parent is not None and checkpoint_for_page(page=parent)
    ):
        return []
    return [
        gettext(
            "No checkpoint: neither the lesson nor its series ends with a quiz, "
            "so reading to the end completes it."
        )
    ]
