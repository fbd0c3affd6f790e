"""The hardest quiz items of a range, from quizzes' own item analysis."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from quizzes.analysis import MIN_ANSWERS_FOR_FLAGS, quiz_item_analysis
from quizzes.models import Attempt, Checkpoint, Quiz
from training.permissions import smallest_group_shown

from ..rollups import day_bounds


@dataclass(frozen=True)
class HardItem:
    quiz_id: int
    quiz: str
    lesson_id: int | None
    lesson: str
    question: str
    answers: int
    facility: float
    discrimination: float | None


def hardest_quiz_items(
    *, since: datetime.date, until: datetime.date, limit: int | None = 10
) -> list[HardItem]:
    """Questions answered right least often in attempts submitted in the
    range, among those answered often enough to say (at least k times and
    as often as item analysis needs to flag a question)."""
    start, _ = day_bounds(since)
    _, end = day_bounds(until)
    quiz_ids = (
        Attempt.objects.filter(
            state=Attempt.State.SUBMITTED,
            submitted_at__gte=start,
            submitted_at__lt=end,
        )
        .values_list("quiz_id", flat=True)
        .distinct()
        .order_by()
    )
    lessons = {
        checkpoint.quiz_id: checkpoint.lesson
        for checkpoint in Checkpoint.objects.filter(
            quiz_id__in=quiz_ids, lesson__isnull=False
        ).select_related("lesson")
    }
    enough = max(MIN_ANSWERS_FOR_FLAGS, smallest_group_shown())
    items = []
    for quiz in Quiz.objects.filter(pk__in=quiz_ids).order_by("pk"):
        statistics = quiz_item_analysis(quiz=quiz, submitted_between=(start, end))
        lesson = lessons.get(quiz.pk)
        items.extend(
            HardItem(
                quiz_id=quiz.pk,
                quiz=quiz.title,
                lesson_id=lesson.pk if lesson else None,
                lesson=lesson.title if lesson else "",
                question=question.text,
                answers=question.answers,
                facility=question.facility,
                discrimination=question.discrimination,
            )
            for question in statistics.questions
            if question.facility is not None and question.answers >= enough
        )
    items.sort(key=lambda item: (item.facility, -item.answers, item.question))
    return items if limit is None else items[:limit]
