"""Learners' views: record reading a lesson to the end, and their own records."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from learning_series.models import LessonPage
from learning_series.visibility import PageNotVisible

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


@never_cache
@require_GET
def transcript_view(request: HttpRequest) -> HttpResponse:
    records = completion_records_for_learner(user=request.user, session=request.session)
    return render(request, "training/transcript.html", {"records": records})
