"""The attempt page in Debian's Chromium: the countdown runs, and unanswered
questions are caught before the paper is sent."""

import re

import pytest
from django.urls import reverse

from quizzes.models import Attempt
from quizzes.services import attempt_start
from tests.browser import axe_violations, live_database, needs_chromium, screenshot

from .conftest import make_checkpoint

pytestmark = [needs_chromium, live_database]


@pytest.fixture
def attempt(learner):
    return attempt_start(
        checkpoint=make_checkpoint(time_limit_minutes=10), user=learner
    )


def open_attempt(visit, learner, attempt, device="phone"):
    page = visit(
        reverse("quizzes:attempt", args=[attempt.pk]), user=learner, device=device
    ).page
    page.locator("input[name^=question-]").first.wait_for()
    return page


def test_the_countdown_shows_the_time_left(visit, learner, attempt):
    page = open_attempt(visit, learner, attempt)

    countdown = page.locator("[data-countdown]")

    assert countdown.is_visible()
    assert re.fullmatch(r"残り ([89]|10)分\d\d秒", countdown.inner_text())


def test_unanswered_questions_are_caught_before_sending(visit, learner, attempt):
    page = open_attempt(visit, learner, attempt)
    page.locator("input[name=question-0]").first.check()

    page.get_by_role("button", name="解答を提出する").click()

    warning = page.get_by_role("alert")
    warning.wait_for()
    assert "2 問に解答していません" in warning.inner_text()
    assert page.evaluate("document.activeElement.id") == "quiz-warning"
    assert page.locator(".quiz__question--missing").count() == 2
    screenshot(page, "attempt-unanswered-phone")
    assert axe_violations(page) == []
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.OPEN

    page.get_by_role("button", name="未解答のまま提出する").click()
    page.get_by_role("heading", name="不合格").wait_for()

    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.SUBMITTED


def test_answering_a_marked_question_clears_its_mark(visit, learner, attempt):
    page = open_attempt(visit, learner, attempt)
    page.get_by_role("button", name="解答を提出する").click()
    page.get_by_role("alert").wait_for()

    page.locator("input[name=question-1]").first.check()

    assert page.locator(".quiz__question--missing").count() == 2
