"""The attempt page is kind: unanswered questions are caught before grading,
scores read as whole percentages, and a failed attempt offers a retry."""

import re
from datetime import datetime

import pytest
from django.urls import reverse

from quizzes.models import Attempt

from .conftest import as_form, make_checkpoint, right_answers, wrong_answers

pytestmark = pytest.mark.django_db

CHECKED = re.compile(r'<input[^>]*id="question-(\d+)-(\d+)"[^>]*\bchecked\b')


@pytest.fixture
def signed_in(client, learner):
    client.force_login(learner)
    return client


def start(client, checkpoint) -> Attempt:
    client.post(reverse("quizzes:attempt_start", args=[checkpoint.pk]))
    return Attempt.objects.latest("pk")


def submit(client, attempt, form):
    return client.post(reverse("quizzes:attempt_submit", args=[attempt.pk]), form)


def test_unanswered_questions_come_back_marked_with_the_answers_kept(
    signed_in, checkpoint
):
    attempt = start(signed_in, checkpoint)
    first = attempt.questions.get(position=0)
    answers = {0: right_answers(attempt)[0]}

    response = submit(signed_in, attempt, as_form(answers))

    html = response.content.decode()
    assert response.status_code == 200
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.OPEN
    assert "2 問に解答していません" in html
    assert html.count("quiz__question--missing") == 2
    checked = {(int(q), int(c)) for q, c in CHECKED.findall(html)}
    assert checked == {(first.position, index) for index in answers[0]}
    assert 'name="submit_unanswered"' in html


def test_submitting_with_unanswered_questions_after_the_warning_grades_them_wrong(
    signed_in, checkpoint
):
    attempt = start(signed_in, checkpoint)
    answers = {0: right_answers(attempt)[0]}

    response = submit(
        signed_in, attempt, {**as_form(answers), "submit_unanswered": "1"}
    )

    assert response.status_code == 302
    attempt.refresh_from_db()
    assert (attempt.state, attempt.score) == (Attempt.State.SUBMITTED, 1)


def test_a_complete_paper_is_graded_at_once(signed_in, checkpoint):
    attempt = start(signed_in, checkpoint)

    response = submit(signed_in, attempt, as_form(right_answers(attempt)))

    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.passed


def test_a_fresh_paper_marks_nothing_missing(signed_in, checkpoint):
    attempt = start(signed_in, checkpoint)

    html = signed_in.get(reverse("quizzes:attempt", args=[attempt.pk])).text

    assert "quiz__question--missing" not in html
    assert re.search(r"data-quiz-warning\b[^>]*\bhidden\b", html, re.S)


def test_scores_read_as_whole_percentages_rounded_down(signed_in, learner):
    checkpoint = make_checkpoint(attempt_limit=3)
    attempt = start(signed_in, checkpoint)
    answers = wrong_answers(attempt)
    answers[0] = right_answers(attempt)[0]
    submit(signed_in, attempt, as_form(answers))

    result = signed_in.get(reverse("quizzes:attempt", args=[attempt.pk])).text
    panel = signed_in.get(checkpoint.lesson.url).text

    assert "（33%）" in result
    assert "33.33" not in result
    assert "33% —" in panel
    assert "33.33" not in panel


def test_a_failed_attempt_with_attempts_left_offers_a_retry(signed_in):
    checkpoint = make_checkpoint(attempt_limit=2)
    attempt = start(signed_in, checkpoint)
    submit(signed_in, attempt, as_form(wrong_answers(attempt)))

    html = signed_in.get(reverse("quizzes:attempt", args=[attempt.pk])).text

    assert reverse("quizzes:attempt_start", args=[checkpoint.pk]) in html
    assert "もう一度受ける" in html


def test_no_retry_after_the_last_attempt_or_a_pass(signed_in):
    checkpoint = make_checkpoint(attempt_limit=1)
    failed = start(signed_in, checkpoint)
    submit(signed_in, failed, as_form(wrong_answers(failed)))
    other = make_checkpoint(attempt_limit=3)
    passed = start(signed_in, other)
    submit(signed_in, passed, as_form(right_answers(passed)))

    after_last = signed_in.get(reverse("quizzes:attempt", args=[failed.pk])).text
    after_pass = signed_in.get(reverse("quizzes:attempt", args=[passed.pk])).text

    assert "もう一度受ける" not in after_last
    assert "もう一度受ける" not in after_pass


def test_a_timed_attempt_carries_its_deadline_for_the_countdown(signed_in):
    checkpoint = make_checkpoint(time_limit_minutes=10)
    attempt = start(signed_in, checkpoint)

    html = signed_in.get(reverse("quizzes:attempt", args=[attempt.pk])).text

    deadline = re.search(r'data-deadline="([^"]+)"', html).group(1)
    assert datetime.fromisoformat(deadline) == attempt.deadline
    assert "data-countdown" in html
