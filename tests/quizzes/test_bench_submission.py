"""The submission benchmark posts what a browser would: the real view grades it."""

import pytest
from django.test import Client
from django.urls import reverse

from bench.load import Response
from bench.quiz_submissions import _submission
from quizzes.models import Attempt
from quizzes.services import attempt_start
from training.models import CompletionRecord

from .conftest import as_form, right_answers, seeded

pytestmark = pytest.mark.django_db


def test_benchmark_submission_from_the_page_passes_csrf_and_is_graded(
    learner, checkpoint
):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(learner)
    attempt = attempt_start(checkpoint=checkpoint, user=learner, rng=seeded(1))
    page = browser.get(reverse("quizzes:attempt", args=[attempt.pk]))
    spec = {
        "session": browser.session.session_key,
        "submit_path": reverse("quizzes:attempt_submit", args=[attempt.pk]),
        "answers": as_form(right_answers(attempt)),
    }
    request, matches = _submission(
        "http://127.0.0.1:8000",
        spec,
        Response(
            page.status_code,
            [("Set-Cookie", morsel.OutputString()) for morsel in page.cookies.values()],
            page.content,
        ),
    )

    response = Client(enforce_csrf_checks=True).post(
        spec["submit_path"],
        data=request.body,
        content_type=request.headers["Content-Type"],
        headers={"Cookie": request.headers["Cookie"]},
    )

    assert matches
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.SUBMITTED
    assert attempt.passed
    assert CompletionRecord.objects.filter(attempt=attempt).count() == 1
