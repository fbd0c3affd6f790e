"""Learners' views: take a checkpoint and see the result."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from learning_series.visibility import PageNotVisible

from .forms import AttemptAnswersForm
from .models import Attempt, Checkpoint
from .review import attempt_review
from .selectors import (
    QuestionView,
    attempt_for_learner,
    attempt_paper,
    checkpoint_for_page,
    checkpoint_status,
)
from .services import (
    QuizError,
    UnansweredQuestions,
    attempt_start,
    attempt_submit,
    checkpoint_as_taken,
)


def _page_url(page) -> str:
    return f"{page.url}#checkpoint"


@dataclass(frozen=True)
class AnsweredQuestion:
    """A question of the paper with what the learner chose so far."""

    question: QuestionView
    selected: frozenset[int] = frozenset()
    missing: bool = False


def _answered_paper(
    attempt: Attempt, answers: dict[int, list[int]] | None = None
) -> list[AnsweredQuestion]:
    returned = answers is not None
    answers = answers or {}
    return [
        AnsweredQuestion(
            question=question,
            selected=frozenset(answers.get(question.position, ())),
            missing=returned and not answers.get(question.position),
        )
        for question in attempt_paper(attempt=attempt)
    ]


def _attempt_page(request, attempt: Attempt, *, answers=None) -> HttpResponse:
    """The attempt as the learner sees it: the paper while it is open (with
    `answers` kept and unanswered questions marked when a submission came
    back), else the result under the review options."""
    overdue = attempt.deadline is not None and timezone.now() > attempt.deadline
    taken_under = checkpoint_as_taken(attempt)
    page = attempt.checkpoint.page.specific
    context = {
        "attempt": attempt,
        "checkpoint": taken_under,
        "page": page,
        "overdue": overdue,
    }
    if attempt.state == Attempt.State.OPEN and not overdue:
        paper = _answered_paper(attempt, answers)
        context["paper"] = paper
        if answers is not None:
            context["unanswered"] = sum(1 for item in paper if item.missing)
    elif attempt.state == Attempt.State.SUBMITTED:
        context["review"] = attempt_review(
            attempt=attempt,
            checkpoint=taken_under,
            user=request.user,
            session=request.session,
        )
        if not attempt.passed:
            live = checkpoint_for_page(page=page)
            if (
                live is not None
                and live.pk == attempt.checkpoint_id
                and checkpoint_status(checkpoint=live, user=request.user).can_start
            ):
                context["retry_checkpoint"] = live
    return render(request, "quizzes/attempt.html", context)


@require_POST
def attempt_start_view(request: HttpRequest, checkpoint_id: int) -> HttpResponse:
    checkpoint = get_object_or_404(Checkpoint, pk=checkpoint_id)
    page = checkpoint.page.specific
    try:
        attempt = attempt_start(
            checkpoint=checkpoint, user=request.user, session=request.session
        )
    except PageNotVisible as error:
        raise Http404 from error
    except QuizError as error:
        messages.error(request, str(error))
        return redirect(_page_url(page))
    return redirect("quizzes:attempt", attempt_id=attempt.pk)


@never_cache
@require_GET
def attempt_view(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = attempt_for_learner(
        attempt_id=attempt_id, user=request.user, session=request.session
    )
    if attempt is None:
        raise Http404
    return _attempt_page(request, attempt)


@require_POST
def attempt_submit_view(request: HttpRequest, attempt_id: int) -> HttpResponse:
    form = AttemptAnswersForm(request.POST)
    if not form.is_valid():
        # The same answer whatever the input for an attempt that is not the
        # learner's: ownership is checked before the answers are judged.
        if (
            attempt_for_learner(
                attempt_id=attempt_id, user=request.user, session=request.session
            )
            is None
        ):
            raise Http404
        messages.error(request, str(AttemptAnswersForm.refused_message))
        return redirect("quizzes:attempt", attempt_id=attempt_id)
    try:
        outcome = attempt_submit(
            attempt_id=attempt_id,
            user=request.user,
            answers=form.answers,
            session=request.session,
            allow_unanswered=form.cleaned_data["submit_unanswered"],
        )
    except Attempt.DoesNotExist as error:
        raise Http404 from error
    except UnansweredQuestions as returned:
        # Nothing is graded yet: the paper comes back with the answers kept
        # and the unanswered questions marked, and the learner decides.
        return _attempt_page(request, returned.attempt, answers=form.answers)
    except QuizError as error:
        messages.error(request, str(error))
        return redirect("quizzes:attempt", attempt_id=attempt_id)
    if not outcome.graded_now:
        messages.info(
            request, _("This attempt had already been submitted; its result stands.")
        )
    return redirect("quizzes:attempt", attempt_id=attempt_id)
