"""Admin wiring: quizzes and checkpoints as snippets, item analysis under Reports."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, UpdatedAtColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cms.extension_points import DEMO_LOADERS, PERSONAL_PAGE_EXPIRY
from learning_series.editing import PUBLISH_CHECKS_HOOK

from . import admin_views
from .models import Attempt, Checkpoint, Quiz
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
            "quizzes/item-analysis/<id:quiz_id>/",
            admin_views.ItemAnalysisQuizView.as_view(),
            name="quizzes_item_analysis_quiz",
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


@hooks.register(PERSONAL_PAGE_EXPIRY)
def open_attempt_deadline(user):
    """A page that offers to resume an attempt changes when its time is up."""
    # One past its deadline already shows as run out.
    return (
        Attempt.objects.filter(
            user=user, state=Attempt.State.OPEN, deadline__gt=timezone.now()
        )
        .order_by("deadline")
        .values_list("deadline", flat=True)
        .first()
    )


@hooks.register(DEMO_LOADERS, order=30)
def register_quizzes_demo(report):
    from .demo import quizzes_load

    quizzes_load(report, editor=report.users["editor"])


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
