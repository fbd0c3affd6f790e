"""Learners' views: record reading a lesson to the end, their own records,
and マイ研修 (what they owe) on the home page. Each shows the person signed
in and nobody else (training.permissions)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from wagtail.models import Page

from learning_series.models import LessonPage
from learning_series.visibility import PageNotVisible

from .extension_points import record_panels
from .requirements.selectors import (
    NextStep,
    PersonTraining,
    RequirementState,
    person_training,
)
from .selectors import completion_records_for_learner
from .services import TrainingError, completion_record_read_to_end


@require_POST
def lesson_read_view(request: HttpRequest, lesson_id: int) -> HttpResponse:
    lesson = get_object_or_404(LessonPage, pk=lesson_id)
    try:
        completion_record_read_to_end(
            lesson=lesson, user=request.user, session=request.session
        )
    except PageNotVisible as error:
        raise Http404 from error
    except TrainingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Recorded: you have completed this lesson."))
    return redirect(f"{lesson.url}#checkpoint")


def _own_training(request: HttpRequest) -> PersonTraining:
    """The signed-in person's training, read once per request."""
    training = getattr(request, "_gofun_own_training", None)
    if training is None:
        training = person_training(user=request.user, session=request.session)
        request._gofun_own_training = training
    return training


@dataclass
class OwedItem:
    """A requirement as マイ研修 shows it: title, status and where to go on."""

    state: RequirementState
    title: str
    action_label: str = ""
    action_url: str = ""
    days_overdue: int = 0


def _owed_items(request: HttpRequest, states: list[RequirementState]) -> list[OwedItem]:
    page_ids = {state.next_page_id for state in states if state.next_page_id}
    pages = {page.pk: page for page in Page.objects.filter(pk__in=page_ids)}
    today = timezone.localdate()
    items = []
    for state in states:
        requirement = state.requirement
        title = (
            str(getattr(requirement.target, "title", requirement.target))
            if state.target_visible
            else _("A lesson no longer open to you")
        )
        item = OwedItem(
            state=state, title=title, days_overdue=state.days_overdue(today)
        )
        if state.next_attempt_id:
            item.action_url = reverse(
                "quizzes:attempt", kwargs={"attempt_id": state.next_attempt_id}
            )
        elif state.next_page_id in pages:
            url = pages[state.next_page_id].get_url(request=request) or ""
            item.action_url = url + (
                f"#{state.next_anchor}" if state.next_anchor else ""
            )
        if item.action_url:
            item.action_label = str(NextStep(state.next_step).label)
        items.append(item)
    return items


def my_training_panel_context(request: HttpRequest) -> dict:
    training = _own_training(request)
    return {
        "owed": _owed_items(request, training.owed),
        "met": _owed_items(request, training.met),
        "has_requirements": bool(training.current),
    }


def certifications_panel_context(request: HttpRequest) -> dict:
    return {"certifications": _own_training(request).certifications}


@never_cache
@require_GET
def transcript_view(request: HttpRequest) -> HttpResponse:
    records = completion_records_for_learner(user=request.user, session=request.session)
    training = _own_training(request)
    return render(
        request,
        "training/transcript.html",
        {
            "records": records,
            "certifications": training.certifications,
            "panels": record_panels(
                request, person=request.user, training=training, admin=False
            ),
        },
    )
