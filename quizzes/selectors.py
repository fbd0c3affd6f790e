"""Reads for checkpoints and attempts."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from cms import cache_versions
from learning_series.visibility import SessionLike, page_visible_to
from organisation.models import JobRole
from organisation.selectors import staff_role_codes
from training.models import CompletionRecord, LessonMaterialChange

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
    """The checkpoint at the end of a lesson or series page, if one is open:
    a checkpoint whose quiz is not published is not shown at all.

    The same for everyone: cached until a checkpoint or quiz changes
    (cms.cache_versions.CHECKPOINTS, bumped by quizzes.signal_handlers).
    """
    version = cache_versions.current(cache_versions.CHECKPOINTS)
    key = f"gofun:quizzes:checkpoint-for-page:{version}:{page.pk}"
    found = cache.get_or_set(
        key,
        lambda: (
            Checkpoint.objects.filter(Q(lesson_id=page.pk) | Q(series_id=page.pk))
            .filter(live=True, quiz__live=True)
            .select_related("quiz")
            .first(),
        ),
        timeout=cache_versions.KEEP_SECONDS,
    )
    return found[0]


def _pass_voided() -> Exists:
    return Exists(
        CompletionRecord.objects.filter(
            attempt_id=OuterRef("pk"), voided_by__isnull=False
        )
    )


def _before_material_change() -> Exists:
    """True for an attempt begun before its lesson was last published as a
    material change (要再受講): the lesson must be taken again."""
    return Exists(
        LessonMaterialChange.objects.filter(
            lesson_id=OuterRef("checkpoint__lesson_id"),
            published_at__gt=OuterRef("started_at"),
        )
    )


def _no_longer_counts():
    return _pass_voided() | _before_material_change()


def standing_passes(attempts: QuerySet[Attempt]) -> QuerySet[Attempt]:
    """The passed attempts among these whose ledger record has not been
    voided, taken since the lesson's last material change."""
    return attempts.filter(passed=True).exclude(_no_longer_counts())


def attempts_counted(attempts: QuerySet[Attempt]) -> QuerySet[Attempt]:
    """The attempts that count against a limit: all but passes voided later
    and attempts from before the lesson's last material change, so that a
    void or a material change reopens the checkpoint."""
    return attempts.exclude(_no_longer_counts())


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
        .annotate(pass_voided=_pass_voided(), superseded=_before_material_change())
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
        (
            attempt
            for attempt in attempts
            if attempt.passed and not attempt.pass_voided and not attempt.superseded
        ),
        None,
    )
    attempts_left = None
    if checkpoint.attempt_limit is not None:
        counted = sum(
            1
            for attempt in attempts
            if not attempt.pass_voided and not attempt.superseded
        )
        attempts_left = max(checkpoint.attempt_limit - counted, 0)
    return CheckpointStatus(
        attempts=attempts,
        open_attempt=open_attempt,
        passed_attempt=passed_attempt,
        attempts_left=attempts_left,
    )


def attempt_for_learner(
    *, attempt_id: int, user, session: SessionLike = None
) -> Attempt | None:
    """The learner's own attempt at a page they may see; another person's
    attempt, or one at a page now hidden from them, is not found."""
    attempt = (
        Attempt.objects.filter(pk=attempt_id, user=user)
        .select_related("checkpoint", "checkpoint__lesson", "checkpoint__series")
        .first()
    )
    if attempt is None or not page_visible_to(
        page=attempt.checkpoint.page, user=user, session=session
    ):
        return None
    return attempt


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


def frozen_bank(attempt: Attempt) -> dict[str, dict]:
    """The quiz as it was when the attempt started, by question key."""
    quiz = attempt.quiz_revision.as_object() if attempt.quiz_revision else attempt.quiz
    return {
        block.id: {
            "text": block.value["text"],
            "slide": block.value.get("slide"),
            "choices": {
                child.id: child.value for child in block.value["choices"].bound_blocks
            },
        }
        for block in quiz.questions
    }


def attempt_paper(*, attempt: Attempt) -> list[QuestionView]:
    """The questions of an open attempt as shown: texts and positions only."""
    bank = frozen_bank(attempt)
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


@dataclass(frozen=True)
class BankShortfall:
    """A group of learners for whom every attempt asks the same questions."""

    role_name: str
    eligible: int
    drawn: int


def checkpoint_bank_shortfalls(*, checkpoint: Checkpoint) -> list[BankShortfall]:
    """Who would draw the same questions on every attempt: staff with no
    special role (role_name "") and the holders of each job role, when the
    quiz's published bank holds no more questions they may be asked than the
    checkpoint draws for them. Works on an unsaved checkpoint too (the
    admin's edit form), reading its role draws from memory."""
    if checkpoint.quiz_id is None:
        return []
    from .models import Quiz

    quiz = Quiz.objects.filter(pk=checkpoint.quiz_id).first()
    if quiz is None:
        return []
    bank = [
        set(block.value["roles"] or [])
        for block in quiz.questions
        if block.block_type == "question"
    ]
    draws = {draw.role_id: draw.question_count for draw in checkpoint.role_draws.all()}
    everyone = checkpoint.questions_per_attempt or 0
    groups = [("", "", everyone)] + [
        (role.code, role.name, max(everyone, draws.get(role.pk, 0)))
        for role in JobRole.objects.order_by("sort_order", "name")
    ]
    shortfalls = []
    for code, name, drawn in groups:
        eligible = sum(1 for roles in bank if not roles or code in roles)
        if drawn and eligible <= drawn:
            shortfalls.append(
                BankShortfall(role_name=name, eligible=eligible, drawn=drawn)
            )
    return shortfalls
