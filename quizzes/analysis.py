"""Item analysis of a quiz: facility and discrimination per question.

Everything is computed in the database in a fixed number of aggregate queries,
whatever the number of attempts: one for the summary, one for the score
distribution, one window query for the boundaries of the top and bottom
thirds, and one grouped, conditional aggregate over the attempts' questions.

Facility is the share of attempts that answered a question right.
Discrimination follows Moodle's classic definition: attempts are ranked by
total score (percent, ties broken by the later attempt first), the top and
bottom thirds are compared, and D = (right in top third − right in bottom
third) / size of a third. Because questions are drawn at random, a question
sits in only some attempts of each third; D is then the difference of the
shares right in each third, which is the same figure when every attempt drew it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Avg, Count, F, IntegerField, Q, Window
from django.db.models.functions import Cast, Floor, Least, RowNumber

from .models import Attempt, AttemptQuestion, Quiz

TOO_EASY = 0.90
TOO_HARD = 0.20
POOR_DISCRIMINATION = 0.20
# Below this many answers a question's figures are noise; it is not flagged.
MIN_ANSWERS_FOR_FLAGS = 10

FLAG_TOO_EASY = "too_easy"
FLAG_TOO_HARD = "too_hard"
FLAG_POOR_DISCRIMINATION = "poor_discrimination"


@dataclass(frozen=True)
class QuestionStatistics:
    key: str
    text: str
    answers: int
    correct: int
    facility: float | None
    discrimination: float | None
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class QuizStatistics:
    attempts: int
    passed: int
    mean_percent: float | None
    # (lowest percent of the band, attempts): 0–9, 10–19, …, 90–100.
    distribution: list[tuple[int, int]] = field(default_factory=list)
    questions: list[QuestionStatistics] = field(default_factory=list)

    @property
    def pass_rate(self) -> float | None:
        return self.passed / self.attempts if self.attempts else None

    @property
    def flagged(self) -> list[QuestionStatistics]:
        return [question for question in self.questions if question.flags]


def _flags(
    *, answers: int, facility: float | None, discrimination: float | None
) -> tuple[str, ...]:
    if answers < MIN_ANSWERS_FOR_FLAGS or facility is None:
        return ()
    flags = []
    if facility >= TOO_EASY:
        flags.append(FLAG_TOO_EASY)
    if facility <= TOO_HARD:
        flags.append(FLAG_TOO_HARD)
    if discrimination is not None and discrimination < POOR_DISCRIMINATION:
        flags.append(FLAG_POOR_DISCRIMINATION)
    return tuple(flags)


def _third_boundaries(graded, count: int) -> tuple[Q, Q] | None:
    """Filters selecting the top and the bottom third of attempts by score."""
    third = count // 3
    if third == 0:
        return None
    ranked = graded.annotate(
        rank=Window(RowNumber(), order_by=[F("percent").desc(), F("pk").desc()])
    )
    boundaries = {
        rank: (percent, pk)
        for rank, percent, pk in ranked.filter(
            rank__in=[third, count - third + 1]
        ).values_list("rank", "percent", "pk")
    }
    top_percent, top_pk = boundaries[third]
    bottom_percent, bottom_pk = boundaries[count - third + 1]
    top = Q(attempt__percent__gt=top_percent) | Q(
        attempt__percent=top_percent, attempt_id__gte=top_pk
    )
    bottom = Q(attempt__percent__lt=bottom_percent) | Q(
        attempt__percent=bottom_percent, attempt_id__lte=bottom_pk
    )
    return top, bottom


def _question_texts(quiz: Quiz) -> dict[str, str]:
    latest = quiz.get_latest_revision_as_object() if quiz.pk else quiz
    return {block.id: block.value["text"] for block in latest.questions}


def quiz_item_analysis(
    *, quiz: Quiz, submitted_between: tuple[datetime, datetime] | None = None
) -> QuizStatistics:
    """Facility, discrimination and flags per question; pass rate and scores.

    `submitted_between` (start, end) keeps to attempts submitted from start
    up to, not including, end.
    """
    graded = Attempt.objects.filter(quiz=quiz, state=Attempt.State.SUBMITTED)
    if submitted_between is not None:
        start, end = submitted_between
        graded = graded.filter(submitted_at__gte=start, submitted_at__lt=end)
    summary = graded.aggregate(
        attempts=Count("pk"),
        passed=Count("pk", filter=Q(passed=True)),
        mean=Avg("percent"),
    )
    bands = dict(
        graded.annotate(band=Least(Cast(Floor(F("percent") / 10), IntegerField()), 9))
        .values("band")
        .annotate(total=Count("pk"))
        .order_by()
        .values_list("band", "total")
    )
    distribution = [(band * 10, bands.get(band, 0)) for band in range(10)]

    thirds = _third_boundaries(graded, summary["attempts"])
    right = Q(is_correct=True)
    aggregates = {
        "answers": Count("pk"),
        "correct": Count("pk", filter=right),
    }
    if thirds is not None:
        top, bottom = thirds
        aggregates |= {
            "top": Count("pk", filter=top),
            "top_correct": Count("pk", filter=top & right),
            "bottom": Count("pk", filter=bottom),
            "bottom_correct": Count("pk", filter=bottom & right),
        }
    answered = AttemptQuestion.objects.filter(
        attempt__quiz=quiz, attempt__state=Attempt.State.SUBMITTED
    )
    if submitted_between is not None:
        answered = answered.filter(
            attempt__submitted_at__gte=start, attempt__submitted_at__lt=end
        )
    rows = {
        row["question_key"]: row
        for row in answered.values("question_key").annotate(**aggregates).order_by()
    }

    texts = _question_texts(quiz)
    order = list(texts) + sorted(set(rows) - set(texts))
    questions = []
    for key in order:
        row = rows.get(key, {"answers": 0, "correct": 0})
        facility = row["correct"] / row["answers"] if row["answers"] else None
        discrimination = None
        if row.get("top") and row.get("bottom"):
            discrimination = (
                row["top_correct"] / row["top"] - row["bottom_correct"] / row["bottom"]
            )
        questions.append(
            QuestionStatistics(
                key=key,
                text=texts.get(key, key),
                answers=row["answers"],
                correct=row["correct"],
                facility=facility,
                discrimination=discrimination,
                flags=_flags(
                    answers=row["answers"],
                    facility=facility,
                    discrimination=discrimination,
                ),
            )
        )
    mean = summary["mean"]
    return QuizStatistics(
        attempts=summary["attempts"],
        passed=summary["passed"],
        mean_percent=float(mean) if mean is not None else None,
        distribution=distribution,
        questions=questions,
    )
