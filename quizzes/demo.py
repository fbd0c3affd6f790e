"""Demo checkpoints: a quiz per demo lesson and simulated attempts to analyse.

Question banks come from quizzes/demo/questions.yaml (lesson slug → questions).
Simulated learners answer through the real services, with a two-parameter
logistic response model so that item analysis has something to find: each
bank gets one question nearly everyone answers right and one that barely
tells strong learners from weak ones. Everything is seeded, so every load
makes the same data, and a lesson that already has a checkpoint is skipped.
"""

from __future__ import annotations

import math
import random
from datetime import timedelta
from pathlib import Path

import yaml
from django.utils import timezone

from learning_series.models import LessonPage
from organisation.demo import simulated_staff
from organisation.models import JobRole

from .models import Attempt, Checkpoint, Quiz
from .services import (
    AlreadyPassed,
    attempt_start,
    attempt_submit,
    checkpoint_create,
    quiz_create_from_bank,
)

QUESTIONS = Path(__file__).resolve().parent / "demo" / "questions.yaml"

COMMON_QUESTIONS_PER_ATTEMPT = 5
PASS_MARK = 70
ATTEMPT_LIMIT = 3
TIME_LIMIT_MINUTES = 10
SIMULATED_LEARNERS = 45


def _response_model(stem: str, data: list[dict]) -> dict[str, tuple[float, float]]:
    """(discrimination a, difficulty b) per question key, with two planted flaws."""
    rng = random.Random(f"gofun-demo-items-{stem}")  # noqa: S311 -- demo data
    model = {
        block["id"]: (rng.uniform(1.2, 2.2), rng.uniform(-1.5, 0.8)) for block in data
    }
    common = [block["id"] for block in data if not block["value"]["roles"]]
    model[common[0]] = (1.5, -4.0)  # nearly everyone gets it right
    # Misleading: strong learners overthink it about as often as weak ones guess.
    model[common[-1]] = (-1.2, 0.0)
    return model


def _simulate(*, checkpoint, learners, model, rng, report) -> None:
    now = timezone.now()
    for learner in learners:
        ability = rng.gauss(0.0, 1.0)
        for _ in range(ATTEMPT_LIMIT):
            started = now - timedelta(days=rng.uniform(1, 60))
            try:
                attempt = attempt_start(
                    checkpoint=checkpoint, user=learner, rng=rng, now=started
                )
            except AlreadyPassed:
                break
            answers = {}
            for question in attempt.questions.all():
                a, b = model[question.question_key]
                right = 1 / (1 + math.exp(-a * (ability - b)))
                keys = question.choice_keys
                if rng.random() < right:
                    chosen = [keys.index(key) for key in question.correct_keys]
                else:
                    wrong = [k for k in keys if k not in question.correct_keys]
                    chosen = [keys.index(rng.choice(wrong))]
                answers[question.position] = chosen
            outcome = attempt_submit(
                attempt_id=attempt.pk,
                user=learner,
                answers=answers,
                now=started + timedelta(minutes=rng.uniform(2, 8)),
            )
            report.count(Attempt)
            if outcome.attempt.passed or rng.random() < 0.3:
                break
            ability += 0.4  # learners who retake have usually re-read the lesson


def quizzes_load(report, *, editor) -> None:
    """A published quiz and a checkpoint for every demo lesson that lacks one."""
    banks = yaml.safe_load(QUESTIONS.read_text("utf-8"))
    learners = None
    roles = {role.code: role for role in JobRole.objects.all()}
    for stem, questions in banks.items():
        lesson = LessonPage.objects.filter(slug=stem).first()
        if lesson is None or Checkpoint.objects.filter(lesson=lesson).exists():
            continue
        quiz = quiz_create_from_bank(
            title=f"{lesson.title}：確認テスト",
            key_prefix=stem,
            questions=questions,
            user=editor,
        )
        report.count(Quiz)

        role_codes = sorted(
            {code for q in questions for code in q.get("roles") or []} & set(roles)
        )
        checkpoint = checkpoint_create(
            lesson=lesson,
            quiz=quiz,
            user=editor,
            questions_per_attempt=COMMON_QUESTIONS_PER_ATTEMPT,
            pass_mark=PASS_MARK,
            attempt_limit=ATTEMPT_LIMIT,
            time_limit_minutes=TIME_LIMIT_MINUTES,
            role_draws={
                code: COMMON_QUESTIONS_PER_ATTEMPT
                + sum(1 for q in questions if code in (q.get("roles") or []))
                for code in role_codes
            },
        )
        report.count(Checkpoint)

        if learners is None:
            learners = simulated_staff()[:SIMULATED_LEARNERS]
        if not Attempt.objects.filter(checkpoint=checkpoint).exists():
            _simulate(
                checkpoint=checkpoint,
                learners=learners,
                model=_response_model(stem, list(quiz.questions.raw_data)),
                rng=random.Random(f"gofun-demo-attempts-{stem}"),  # noqa: S311
                report=report,
            )
