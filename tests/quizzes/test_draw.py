"""Which questions a learner is drawn, by job role."""

import pytest

from quizzes.services import attempt_start, attempt_submit
from tests.factories import StaffProfileFactory

from .conftest import make_checkpoint, seeded, wrong_answers

pytestmark = pytest.mark.django_db


def drawn_texts(attempt) -> set[str]:
    texts = {block.id: block.value["text"] for block in attempt.quiz.questions}
    return {texts[question.question_key] for question in attempt.questions.all()}


def test_pjmo_is_drawn_pjmo_questions_and_common_questions(pjmo):
    checkpoint = make_checkpoint(role_draws={"pjmo": 4})

    attempt = attempt_start(checkpoint=checkpoint, user=pjmo, rng=seeded(1))

    texts = drawn_texts(attempt)
    assert {"PJMO問題1", "PJMO問題2"} <= texts
    assert len(texts - {"PJMO問題1", "PJMO問題2"}) == 2
    assert all(text.startswith(("PJMO", "共通")) for text in texts)


def test_general_staff_never_sees_a_pjmo_only_question(learner):
    checkpoint = make_checkpoint(attempt_limit=None, pass_mark=100)
    seen = set()
    for seed in range(25):
        attempt = attempt_start(checkpoint=checkpoint, user=learner, rng=seeded(seed))
        seen |= drawn_texts(attempt)
        attempt_submit(
            attempt_id=attempt.pk, user=learner, answers=wrong_answers(attempt)
        )

    assert seen == {"共通問題1", "共通問題2", "共通問題3", "共通問題4"}


def test_role_with_more_questions_sets_the_count():
    user = StaffProfileFactory(roles=["general", "lan_it"]).user
    checkpoint = make_checkpoint(role_draws={"lan_it": 4, "pjmo": 6})

    attempt = attempt_start(checkpoint=checkpoint, user=user, rng=seeded(2))

    assert attempt.max_score == 4
    assert "LAN問題1" in drawn_texts(attempt)


def test_choice_order_is_shuffled_between_attempts(learner):
    checkpoint = make_checkpoint(attempt_limit=None, pass_mark=100)
    orders = set()
    for seed in range(6):
        attempt = attempt_start(checkpoint=checkpoint, user=learner, rng=seeded(seed))
        orders |= {
            tuple(question.choice_keys)
            for question in attempt.questions.all()
            if question.kind == "single"
        }
        attempt_submit(
            attempt_id=attempt.pk, user=learner, answers=wrong_answers(attempt)
        )

    assert len(orders) > 2
