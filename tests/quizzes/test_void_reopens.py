"""A pass voided by a training admin no longer counts: the checkpoint reopens."""

import pytest
from django.urls import reverse

from quizzes.selectors import checkpoint_status
from quizzes.services import AlreadyPassed, attempt_start, attempt_submit
from training.models import CompletionRecord
from training.services import completion_record_void

from .conftest import make_checkpoint, right_answers, seeded, wrong_answers

pytestmark = pytest.mark.django_db


def take(checkpoint, user, answers, seed=7):
    attempt = attempt_start(checkpoint=checkpoint, user=user, rng=seeded(seed))
    return attempt_submit(
        attempt_id=attempt.pk, user=user, answers=answers(attempt)
    ).attempt


def void_pass(attempt, training_admin):
    return completion_record_void(
        record=CompletionRecord.objects.get(attempt=attempt),
        by=training_admin,
        reason="受験者の取り違え",
    )


def test_a_passed_checkpoint_cannot_be_retaken(checkpoint, learner):
    take(checkpoint, learner, right_answers)

    with pytest.raises(AlreadyPassed):
        attempt_start(checkpoint=checkpoint, user=learner)


def test_after_a_void_the_learner_can_retake_and_pass_again(
    checkpoint, learner, training_admin
):
    first = take(checkpoint, learner, right_answers)
    void_pass(first, training_admin)

    second = take(checkpoint, learner, right_answers, seed=8)

    assert second.number == 2
    assert second.passed
    assert CompletionRecord.objects.standing().filter(user=learner).get().attempt == (
        second
    )


def test_after_a_void_the_status_no_longer_says_passed(
    checkpoint, learner, training_admin
):
    first = take(checkpoint, learner, right_answers)
    void_pass(first, training_admin)

    status = checkpoint_status(checkpoint=checkpoint, user=learner)

    assert status.passed_attempt is None
    assert status.can_start


def test_a_voided_pass_on_the_last_attempt_gives_the_attempt_back(
    learner, training_admin
):
    checkpoint = make_checkpoint(attempt_limit=2)
    take(checkpoint, learner, wrong_answers)
    last = take(checkpoint, learner, right_answers, seed=8)
    void_pass(last, training_admin)

    assert checkpoint_status(checkpoint=checkpoint, user=learner).attempts_left == 1
    retake = take(checkpoint, learner, right_answers, seed=9)
    assert (retake.number, retake.passed) == (3, True)


def test_the_lesson_page_offers_the_checkpoint_again_after_a_void(
    client, checkpoint, learner, training_admin
):
    first = take(checkpoint, learner, right_answers)
    void_pass(first, training_admin)
    client.force_login(learner)

    html = client.get(checkpoint.lesson.url).content.decode()

    assert reverse("quizzes:attempt_start", args=[checkpoint.pk]) in html
    assert "記録は取消済み" in html
