"""Learners' views: take a checkpoint and see the result."""

from __future__ import annotations

import re

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from .models import Attempt, Checkpoint
from .selectors import attempt_for_learner, attempt_paper, attempt_review
from .services import (
    QuizError,
    SubmissionRejected,
    attempt_start,
    attempt_submit,
)

ANSWER_FIELD = re.compile(r"^question-(\d{1,4})$")


def _page_url(page) -> str:
    return f"{page.url}#checkpoint"


@require_POST
def attempt_start_view(request: HttpRequest, checkpoint_id: int) -> HttpResponse:
    checkpoint = get_object_or_404(Checkpoint, pk=checkpoint_id)
    page = checkpoint.page.specific
    if not page.live:
        raise Http404
    try:
        attempt = attempt_start(checkpoint=checkpoint, user=request.user)
    except QuizError as error:
        messages.error(request, str(error))
        return redirect(_page_url(page))
    return redirect("quizzes:attempt", attempt_id=attempt.pk)


@never_cache
@require_GET
def attempt_view(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = attempt_for_learner(attempt_id=attempt_id, user=request.user)
    if attempt is None:
        raise Http404
    overdue = attempt.deadline is not None and timezone.now() > attempt.deadline
    context = {
        "attempt": attempt,
        "checkpoint": attempt.checkpoint,
        "page": attempt.checkpoint.page.specific,
        "overdue": overdue,
    }
    if attempt.state == Attempt.State.OPEN and not overdue:
        context["paper"] = attempt_paper(attempt=attempt)
    elif attempt.state == Attempt.State.SUBMITTED:
        context["review"] = attempt_review(attempt=attempt)
    return render(request, "quizzes/attempt.html", context)


def _answers_from_form(data) -> dict[int, list[int]]:
    """Only question-N fields are read; scores or flags a client adds are ignored."""
    answers: dict[int, list[int]] = {}
    for name in data:
        if not name.startswith("question-"):
            continue
        match = ANSWER_FIELD.match(name)
        values = data.getlist(name)
        if match is None or not all(value.isdigit() for value in values):
            raise SubmissionRejected(
                _("The answers sent do not match this attempt. Nothing was recorded.")
            )
        answers[int(match.group(1))] = [int(value) for value in values]
    return answers


@require_POST
def attempt_submit_view(request: HttpRequest, attempt_id: int) -> HttpResponse:
    try:
        outcome = attempt_submit(
            attempt_id=attempt_id,
            user=request.user,
            answers=_answers_from_form(request.POST),
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
