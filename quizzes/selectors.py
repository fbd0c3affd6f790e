"""Reads for checkpoints, attempts and the completion ledger."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from organisation.selectors import staff_role_codes
from training.models import CompletionRecord

from .models import Attempt, Checkpoint


def learner_role_codes(*, user) -> set[str]:
    """The codes of the job roles a person holds today."""
    return staff_role_codes(user=user)


def checkpoint_question_count(*, checkpoint: Checkpoint, role_codes: set[str]) -> int:
    """How many questions to draw: the most that any of the person's roles asks."""
    by_role = checkpoint.role_draws.filter(role__code__in=role_codes).aggregate(
        most=Max("question_count")
    )["most"]
    return max(checkpoint.questions_per_attempt, by_role or 0)


def checkpoint_for_page(*, page) -> Checkpoint | None:
    """The checkpoint at the end of a lesson or series page, if it has one."""
    return (
        Checkpoint.objects.filter(Q(lesson_id=page.pk) | Q(series_id=page.pk))
        .select_related("quiz")
        .first()
    )


def _pass_voided() -> Exists:
    return Exists(
        CompletionRecord.objects.filter(
            attempt_id=OuterRef("pk"), voided_by__isnull=False
        )
    )


def standing_passes(attempts: QuerySet[Attempt]) -> QuerySet[Attempt]:
    """The passed attempts among these whose ledger record has not been voided."""
    return attempts.filter(passed=True).exclude(_pass_voided())


def attempts_counted(attempts: QuerySet[Attempt]) -> QuerySet[Attempt]:
    """The attempts that count against a limit: all but passes voided later,
    so that a void reopens the checkpoint."""
    return attempts.exclude(_pass_voided())


@dataclass(frozen=True)
class CheckpointStatus:
    attempts: list[Attempt]
    open_attempt: Attempt | None
    passed_attempt: Attempt | None
    attempts_left: int | None

    @property
    def can_start(self) -> bool:
        return self.passed_attempt is None and (
            self.open_attempt is not None
            or self.attempts_left is None
            or self.attempts_left > 0
        )


def checkpoint_status(*, checkpoint: Checkpoint, user) -> CheckpointStatus:
    """A learner's attempts at a checkpoint and whether they may start another."""
    now = timezone.now()
    attempts = list(
        Attempt.objects.filter(checkpoint=checkpoint, user=user)
        .annotate(pass_voided=_pass_voided())
        .order_by("number")
    )
    open_attempt = next(
        (
            attempt
            for attempt in attempts
            if attempt.state == Attempt.State.OPEN
            and (attempt.deadline is None or attempt.deadline >= now)
        ),
        None,
    )
    passed_attempt = next(
        (attempt for attempt in attempts if attempt.passed and not attempt.pass_voided),
        None,
    )
    attempts_left = None
    if checkpoint.attempt_limit is not None:
        counted = sum(1 for attempt in attempts if not attempt.pass_voided)
        attempts_left = max(checkpoint.attempt_limit - counted, 0)
    return CheckpointStatus(
        attempts=attempts,
        open_attempt=open_attempt,
        passed_attempt=passed_attempt,
        attempts_left=attempts_left,
    )


def attempt_for_learner(*, attempt_id: int, user) -> Attempt | None:
    """The learner's own attempt; another person's attempt is not found."""
    return (
        Attempt.objects.filter(pk=attempt_id, user=user)
        .select_related("checkpoint", "checkpoint__lesson", "checkpoint__series")
        .first()
    )


@dataclass(frozen=True)
class ChoiceView:
    index: int
    text: str
    # Filled only once the attempt is graded.
    explanation: str = ""
    correct: bool = False
    selected: bool = False


@dataclass(frozen=True)
class QuestionView:
    position: int
    text: str
    multiple: bool
    choices: list[ChoiceView]
    is_correct: bool | None = None


def _frozen_bank(attempt: Attempt) -> dict[str, dict]:
    """The quiz as it was when the attempt started, by question key."""
    quiz = attempt.quiz_revision.as_object() if attempt.quiz_revision else attempt.quiz
    return {
        block.id: {
            "text": block.value["text"],
            "choices": {
                child.id: child.value for child in block.value["choices"].bound_blocks
            },
        }
        for block in quiz.questions
    }


def attempt_paper(*, attempt: Attempt) -> list[QuestionView]:
    """The questions of an open attempt as shown: texts and positions only."""
    bank = _frozen_bank(attempt)
    return [
        QuestionView(
            position=question.position,
            text=bank[question.question_key]["text"],
            multiple=question.kind == "multiple",
            choices=[
                ChoiceView(
                    index=index,
                    text=bank[question.question_key]["choices"][key]["text"],
                )
                for index, key in enumerate(question.choice_keys)
            ],
        )
        for question in attempt.questions.all()
    ]


def attempt_review(*, attempt: Attempt) -> list[QuestionView]:
    """A graded attempt: each question, what was chosen, what was right and why."""
    if attempt.state != Attempt.State.SUBMITTED:
        return []
    bank = _frozen_bank(attempt)
    views = []
    for question in attempt.questions.all():
        choices = bank[question.question_key]["choices"]
        views.append(
            QuestionView(
                position=question.position,
                text=bank[question.question_key]["text"],
                multiple=question.kind == "multiple",
                is_correct=question.is_correct,
                choices=[
                    ChoiceView(
                        index=index,
                        text=choices[key]["text"],
                        explanation=choices[key]["explanation"],
                        correct=key in question.correct_keys,
                        selected=key in (question.selected_keys or []),
                    )
                    for index, key in enumerate(question.choice_keys)
                ],
            )
        )
    return views
