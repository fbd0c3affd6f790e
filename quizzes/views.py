"""Learners' views: take a checkpoint and see the result."""

from __future__ import annotations

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
from .selectors import attempt_for_learner, attempt_paper
from .services import QuizError, attempt_start, attempt_submit, checkpoint_as_taken


def _page_url(page) -> str:
    return f"{page.url}#checkpoint"


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
    overdue = attempt.deadline is not None and timezone.now() > attempt.deadline
    taken_under = checkpoint_as_taken(attempt)
    context = {
        "attempt": attempt,
        "checkpoint": taken_under,
        "page": attempt.checkpoint.page.specific,
        "overdue": overdue,
    }
    if attempt.state == Attempt.State.OPEN and not overdue:
        context["paper"] = attempt_paper(attempt=attempt)
    elif attempt.state == Attempt.State.SUBMITTED:
        context["review"] = attempt_review(
            attempt=attempt,
            checkpoint=taken_under,
            user=request.user,
            session=request.session,
        )
    return render(request, "quizzes/attempt.html", context)


@require_POST
def attempt_submit_view(request: HttpRequest, attempt_id: int) -> HttpResponse:
    # The same answer whatever the input for an attempt that is not the
    # learner's: ownership is checked before the answers are read.
    if (
        attempt_for_learner(
            attempt_id=attempt_id, user=request.user, session=request.session
        )
        is None
    ):
        raise Http404
    form = AttemptAnswersForm(request.POST)
    if not form.is_valid():
        messages.error(request, str(AttemptAnswersForm.refused_message))
        return redirect("quizzes:attempt", attempt_id=attempt_id)
    try:
        outcome = attempt_submit(
            attempt_id=attempt_id,
            user=request.user,
            answers=form.answers,
            session=request.session,
        )
    except Attempt.DoesNotExist as error:
        raise Http404 from error
    except QuizError as error:
        messages.error(request, str(error))
        return redirect("quizzes:attempt", attempt_id=attempt_id)
    if not outcome.graded_now:
        messages.info(
            request, _("This attempt had already been submitted; its result stands.")
        )
    return redirect("quizzes:attempt", attempt_id=attempt_id)
