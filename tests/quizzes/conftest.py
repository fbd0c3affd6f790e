"""Quiz fixtures: a small question bank, a published quiz and a checkpoint."""

from __future__ import annotations

import random

import pytest

from quizzes.models import Quiz
from quizzes.services import checkpoint_create, quiz_create_from_bank
from tests.factories import StaffProfileFactory, make_lesson, make_series


def seeded(seed: int) -> random.Random:
    """A reproducible draw for tests (the site draws with SystemRandom)."""
    return random.Random(seed)  # noqa: S311


def choice(text: str, correct: bool = False) -> dict:
    return {"text": text, "correct": correct, "explanation": f"{text}の解説"}


def question(text: str, kind: str = "single", roles=(), right: int = 0) -> dict:
    if kind == "true_false":
        choices = [choice("正しい", right == 0), choice("誤り", right == 1)]
    elif kind == "multiple":
        choices = [choice("選択肢A", True), choice("選択肢B", True), choice("選択肢C")]
    else:
        choices = [choice(f"選択肢{n}", n == right) for n in range(4)]
    return {"text": text, "kind": kind, "roles": list(roles), "choices": choices}


BANK = [
    question("共通問題1"),
    question("共通問題2", kind="multiple"),
    question("共通問題3", kind="true_false", right=1),
    question("共通問題4", right=2),
    question("PJMO問題1", roles=["pjmo"]),
    question("PJMO問題2", roles=["pjmo"], right=3),
    question("LAN問題1", roles=["lan_it"], right=1),
]


def make_quiz(*, questions=None, title: str = "確認テスト", live: bool = True) -> Quiz:
    return quiz_create_from_bank(
        title=title, key_prefix="test", questions=questions or BANK, publish=live
    )


def make_checkpoint(
    *, lesson=None, quiz=None, role_draws=None, publish=True, **options
):
    """A published checkpoint (with its revision), as an editor would leave it."""
    return checkpoint_create(
        lesson=lesson or make_lesson(series=make_series()),
        quiz=quiz or make_quiz(),
        role_draws=role_draws,
        publish=publish,
        **{"questions_per_attempt": 3, "pass_mark": 60, **options},
    )


def right_answers(attempt) -> dict[int, list[int]]:
    return {
        question.position: [
            question.choice_keys.index(key) for key in question.correct_keys
        ]
        for question in attempt.questions.all()
    }


def wrong_answers(attempt) -> dict[int, list[int]]:
    answers = {}
    for question in attempt.questions.all():
        wrong = next(k for k in question.choice_keys if k not in question.correct_keys)
        answers[question.position] = [question.choice_keys.index(wrong)]
    return answers


def as_form(answers: dict[int, list[int]]) -> dict[str, list[str]]:
    return {
        f"question-{position}": [str(index) for index in indexes]
        for position, indexes in answers.items()
    }


@pytest.fixture
def pjmo(db):
    return StaffProfileFactory(user__username="pjmo", roles=["general", "pjmo"]).user


@pytest.fixture
def checkpoint(db):
    return make_checkpoint()
