"""Item analysis of a quiz with 100,000 attempts, against a plain Python loop.

Moodle's quiz statistics report walks the attempts in PHP; ours asks the
database for aggregates. The baseline here is that straightforward approach,
done fairly: the same figures computed by a Python loop over every attempt
and every drawn question, fetched as plain tuples in two queries (no per-row
queries, no model instances). Both run on the same generated data in the same
run, and the figures are checked to agree.

The data lives in a throwaway SQLite database (the embedded default) built in
a child process, so the benchmark never touches the site's database and does
not care which settings the other benchmarks loaded.
`python -m bench item_analysis`; GOFUN_BENCH_ATTEMPTS changes the size.
"""

from __future__ import annotations

import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ATTEMPTS = int(os.environ.get("GOFUN_BENCH_ATTEMPTS", "100000"))
QUESTIONS_IN_BANK = 8
QUESTIONS_PER_ATTEMPT = 5
ATTEMPTS_PER_LEARNER = 5
REPEATS = 3
ROOT = Path(__file__).resolve().parent.parent


def run() -> dict:
    with tempfile.TemporaryDirectory(prefix="gofun-bench-") as directory:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cms.settings.test",
            "DATABASE_URL": f"sqlite:///{directory}/item_analysis.sqlite3",
        }
        completed = subprocess.run(
            [sys.executable, "-m", "bench.item_analysis"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    if completed.returncode != 0:
        raise RuntimeError(f"item analysis benchmark failed:\n{completed.stderr}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _generate(rng) -> object:
    """A published quiz and ATTEMPTS graded attempts, written in bulk."""
    from decimal import Decimal

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from learning_series.marp import Deck, Slide
    from learning_series.models import SeriesIndexPage, SeriesPage
    from learning_series.services import lesson_create_from_deck
    from quizzes.models import Attempt, AttemptQuestion
    from quizzes.services import checkpoint_create, quiz_create_from_bank

    index = SeriesIndexPage.objects.get(slug="series")
    series = index.add_child(instance=SeriesPage(title="ベンチマーク", slug="bench"))
    lesson, revision = lesson_create_from_deck(
        series=series,
        deck=Deck(title="項目分析", slides=[Slide(title="1", body="本文")]),
        owner=None,
    )
    revision.publish()
    bank = [
        {
            "text": f"問題{number}",
            "kind": "single",
            "roles": [],
            "choices": [
                {"text": f"選択肢{c}", "correct": c == 0, "explanation": ""}
                for c in range(4)
            ],
        }
        for number in range(QUESTIONS_IN_BANK)
    ]
    quiz = quiz_create_from_bank(
        title="ベンチマーク用テスト", key_prefix="bench", questions=bank
    )
    checkpoint = checkpoint_create(
        lesson=lesson, quiz=quiz, questions_per_attempt=QUESTIONS_PER_ATTEMPT
    )
    blocks = list(quiz.questions)
    difficulty = [rng.uniform(-1.5, 1.5) for _ in blocks]

    User = get_user_model()
    learners = ATTEMPTS // ATTEMPTS_PER_LEARNER
    User.objects.bulk_create(
        [User(username=f"bench{n}", password="!") for n in range(learners)],
        batch_size=5000,
    )
    user_ids = list(
        User.objects.filter(username__startswith="bench").values_list("pk", flat=True)
    )
    now = timezone.now()
    batch = 5000
    for start in range(0, ATTEMPTS, batch):
        attempts, drawn = [], []
        for number in range(start, min(start + batch, ATTEMPTS)):
            ability = rng.gauss(0, 1)
            chosen = rng.sample(range(len(blocks)), QUESTIONS_PER_ATTEMPT)
            right = [
                rng.random() < 1 / (1 + math.exp(difficulty[q] - ability))
                for q in chosen
            ]
            score = sum(right)
            attempts.append(
                Attempt(
                    checkpoint=checkpoint,
                    quiz=quiz,
                    user_id=user_ids[number // ATTEMPTS_PER_LEARNER],
                    number=number % ATTEMPTS_PER_LEARNER + 1,
                    state=Attempt.State.SUBMITTED,
                    started_at=now,
                    submitted_at=now,
                    score=score,
                    max_score=QUESTIONS_PER_ATTEMPT,
                    percent=Decimal(score * 100 // QUESTIONS_PER_ATTEMPT),
                    passed=score * 100 >= 80 * QUESTIONS_PER_ATTEMPT,
                )
            )
            drawn.append((chosen, right))
        Attempt.objects.bulk_create(attempts)
        rows = []
        for attempt, (chosen, right) in zip(attempts, drawn, strict=True):
            for position, (question, correct) in enumerate(
                zip(chosen, right, strict=True)
            ):
                block = blocks[question]
                keys = [child.id for child in block.value["choices"].bound_blocks]
                rows.append(
                    AttemptQuestion(
                        attempt=attempt,
                        position=position,
                        question_key=block.id,
                        kind="single",
                        choice_keys=keys,
                        correct_keys=[keys[0]],
                        selected_keys=[keys[0] if correct else keys[1]],
                        is_correct=correct,
                    )
                )
        AttemptQuestion.objects.bulk_create(rows, batch_size=5000)
    return quiz


def python_loop_analysis(quiz) -> dict:
    """The baseline: the same figures by looping over every attempt in Python."""
    from quizzes.models import Attempt, AttemptQuestion

    attempts = list(
        Attempt.objects.filter(quiz=quiz, state=Attempt.State.SUBMITTED).values_list(
            "pk", "percent", "passed"
        )
    )
    answers: dict[int, list[tuple[str, bool]]] = {}
    for attempt_id, key, correct in AttemptQuestion.objects.filter(
        attempt__quiz=quiz, attempt__state=Attempt.State.SUBMITTED
    ).values_list("attempt_id", "question_key", "is_correct"):
        answers.setdefault(attempt_id, []).append((key, correct))
    ranked = sorted(attempts, key=lambda row: (row[1], row[0]), reverse=True)
    third = len(ranked) // 3
    top = {row[0] for row in ranked[:third]}
    bottom = {row[0] for row in ranked[len(ranked) - third :]}
    figures: dict[str, dict[str, int]] = {}
    for attempt_id, _percent, _passed in attempts:
        for key, correct in answers.get(attempt_id, []):
            item = figures.setdefault(
                key,
                {"answers": 0, "correct": 0, "top": 0, "tc": 0, "bottom": 0, "bc": 0},
            )
            item["answers"] += 1
            item["correct"] += correct
            if attempt_id in top:
                item["top"] += 1
                item["tc"] += correct
            elif attempt_id in bottom:
                item["bottom"] += 1
                item["bc"] += correct
    return {
        "attempts": len(attempts),
        "passed": sum(1 for row in attempts if row[2]),
        "questions": {
            key: (
                item["correct"] / item["answers"],
                item["tc"] / item["top"] - item["bc"] / item["bottom"],
            )
            for key, item in figures.items()
        },
    }


def _timed(function, *args, **kwargs) -> tuple[float, object]:
    times, result = [], None
    for _ in range(REPEATS):
        started = time.perf_counter()
        result = function(*args, **kwargs)
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def _worker() -> dict:
    import random

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from quizzes.analysis import quiz_item_analysis

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    quiz = _generate(random.Random(20261126))  # noqa: S311 -- reproducible data
    generation = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    ours, statistics_ = _timed(quiz_item_analysis, quiz=quiz)
    baseline, loop = _timed(python_loop_analysis, quiz)
    match = (
        statistics_.attempts == loop["attempts"]
        and statistics_.passed == loop["passed"]
        and all(
            abs(q.facility - loop["questions"][q.key][0]) < 1e-9
            and abs(q.discrimination - loop["questions"][q.key][1]) < 1e-9
            for q in statistics_.questions
        )
    )
    return {
        "database": connection.vendor,
        "attempts": statistics_.attempts,
        "answers": sum(q.answers for q in statistics_.questions),
        "questions": len(statistics_.questions),
        "generation_seconds": round(generation, 1),
        "item_analysis_seconds": round(ours, 3),
        "baseline_python_loop_seconds": round(baseline, 3),
        "speedup_over_baseline": round(baseline / ours, 2),
        "figures_match_baseline": match,
        "flagged_questions": len(statistics_.flagged),
    }


if __name__ == "__main__":
    print(json.dumps(_worker()))
