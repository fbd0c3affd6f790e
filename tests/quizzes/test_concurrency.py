"""Sixteen learners submitting at once, each twice: one graded result each.

Threads share the real database (the SQLite file, or PostgreSQL in CI); each
learner's two submissions race each other and everyone else's.
"""

import threading

import pytest
from django.db import close_old_connections, connection

from quizzes.models import Attempt, AttemptQuestion
from quizzes.services import attempt_start, attempt_submit
from tests.factories import StaffProfileFactory
from training.models import CompletionRecord

from .conftest import make_checkpoint, right_answers, seeded

LEARNERS = 16

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_sixteen_learners_submitting_twice_at_once_are_graded_once_each():
    checkpoint = make_checkpoint()
    learners = [
        StaffProfileFactory(user__username=f"concurrent{n}", roles=["general"]).user
        for n in range(LEARNERS)
    ]
    attempts = [
        attempt_start(checkpoint=checkpoint, user=user, rng=seeded(n))
        for n, user in enumerate(learners)
    ]
    answers = [right_answers(attempt) for attempt in attempts]
    start = threading.Barrier(LEARNERS * 2)
    outcomes, errors = [], []

    def submit(index: int) -> None:
        start.wait()
        try:
            outcome = attempt_submit(
                attempt_id=attempts[index].pk,
                user=learners[index],
                answers=answers[index],
            )
            outcomes.append((index, outcome.graded_now, outcome.attempt.score))
        except Exception as error:  # noqa: BLE001 -- reported by the assertion
            errors.append(repr(error))
        finally:
            close_old_connections()
            connection.close()

    threads = [
        threading.Thread(target=submit, args=(index,))
        for index in list(range(LEARNERS)) * 2
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    graded_now = sorted(index for index, graded, _ in outcomes if graded)
    assert graded_now == list(range(LEARNERS))
    assert {score for _, _, score in outcomes} == {3}
    assert Attempt.objects.filter(state="submitted", passed=True).count() == LEARNERS
    assert AttemptQuestion.objects.filter(is_correct=True).count() == LEARNERS * 3
    assert CompletionRecord.objects.filter(kind="quiz_passed").count() == LEARNERS
