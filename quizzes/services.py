"""Taking checkpoints and writing the completion ledger.

Every write that decides a result runs in one transaction that first locks the
learner's row (PostgreSQL; SQLite's IMMEDIATE transactions serialise writers
already), and grading claims the attempt with a conditional UPDATE on its
state, so a double click, a replayed form or two tabs grade it exactly once.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_DOWN, Decimal

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cms import cache_versions
from learning_series.visibility import PageNotVisible, SessionLike, page_visible_to
from organisation.models import JobRole
from training.services import completion_record_pass, learner_lock

from .blocks import QuestionKind
from .models import Attempt, AttemptQuestion, Checkpoint, CheckpointRoleDraw, Quiz
from .selectors import (
    attempts_counted,
    checkpoint_question_count,
    learner_role_codes,
    standing_passes,
)

# Question and choice ids derive from a bank's key prefix and positions, so
# loading the same bank again gives the same ids (attempts keep their keys).
QUESTION_KEY_NAMESPACE = uuid.UUID("6f1c9a52-1d7e-4a7e-9a55-3f0f1b8e2d10")


def _key(*parts: object) -> str:
    return str(
        uuid.uuid5(QUESTION_KEY_NAMESPACE, "/".join(str(part) for part in parts))
    )


def quiz_stream_data(stem: str, questions: list[dict]) -> list[dict]:
    """The bank as StreamField data, with ids stable across loads."""
    return [
        {
            "type": "question",
            "id": _key(stem, number),
            "value": {
                "text": question["text"],
                "kind": question["kind"],
                "roles": list(question.get("roles") or []),
                "slide": question.get("slide"),
                "choices": [
                    {
                        "type": "item",
                        "id": _key(stem, number, letter),
                        "value": {
                            "text": choice["text"],
                            "correct": bool(choice["correct"]),
                            "explanation": choice.get("explanation", ""),
                        },
                    }
                    for letter, choice in enumerate(question["choices"])
                ],
            },
        }
        for number, question in enumerate(questions)
    ]


@transaction.atomic
def quiz_create_from_bank(
    *,
    title: str,
    key_prefix: str,
    questions: list[dict],
    user=None,
    publish: bool = True,
) -> Quiz:
    """A quiz holding a question bank (the questions.yaml shape), with a logged
    revision; published unless `publish` is false."""
    quiz = Quiz(title=title, live=False)
    quiz.questions = quiz_stream_data(key_prefix, questions)
    quiz.save()
    revision = quiz.save_revision(user=user, log_action=True)
    if publish:
        revision.publish(user=user)
        quiz.refresh_from_db()
    return quiz


@transaction.atomic
def checkpoint_create(
    *,
    quiz: Quiz,
    lesson=None,
    series=None,
    role_draws: dict[str, int] | None = None,
    user=None,
    publish: bool = True,
    **settings,
) -> Checkpoint:
    """A checkpoint with a logged revision, published unless `publish` is
    false (then it waits for review like one made in the admin).

    `role_draws` maps job role codes to the questions drawn for them; the
    other keyword arguments are the checkpoint's fields (pass_mark, ...).
    """
    checkpoint = Checkpoint(lesson=lesson, series=series, quiz=quiz, **settings)
    roles = {role.code: role for role in JobRole.objects.all()}
    checkpoint.role_draws = [
        CheckpointRoleDraw(role=roles[code], question_count=count)
        for code, count in (role_draws or {}).items()
    ]
    checkpoint.live = False
    checkpoint.save()
    revision = checkpoint.save_revision(user=user, log_action=True)
    if publish:
        revision.publish(user=user)
        checkpoint.refresh_from_db()
    return checkpoint


def checkpoint_as_taken(attempt: Attempt) -> Checkpoint:
    """The checkpoint's version an attempt was taken under (its revision), by
    which it is graded and shown; the current row for attempts from before
    checkpoints had revisions.

    Built from the revision's content as Revision.as_object() builds it, but
    without its queries: the checkpoint row is the attempt's own, and the
    objects the version names (its quiz, lesson or series) are not looked up
    until they are used.
    """
    if attempt.checkpoint_revision_id is None:
        return attempt.checkpoint
    current = attempt.checkpoint
    taken = Checkpoint.from_serializable_data(
        attempt.checkpoint_revision.content, check_fks=False
    )
    # What Wagtail's with_content_json keeps of the object as a whole.
    taken.pk = current.pk
    taken.latest_revision_id = current.latest_revision_id
    taken.live = current.live
    taken.has_unpublished_changes = current.has_unpublished_changes
    taken.first_published_at = current.first_published_at
    return taken


class QuizError(Exception):
    """A refusal the learner caused; the message is for them and nothing changed."""


class CheckpointUnavailable(QuizError):
    pass


class AlreadyPassed(QuizError):
    pass


class AttemptLimitReached(QuizError):
    pass


class AttemptExpired(QuizError):
    pass


class SubmissionRejected(QuizError):
    pass


class UnansweredQuestions(Exception):
    """Questions were left unanswered: nothing was graded, and the paper goes
    back to the learner (with what they chose) to answer or send as it is.
    Not a refusal: there is no message, the page itself says it."""

    def __init__(self, attempt: Attempt, positions: list[int]):
        super().__init__(attempt.pk, positions)
        self.attempt = attempt
        self.positions = positions


@dataclass(frozen=True)
class SubmitOutcome:
    attempt: Attempt
    graded_now: bool


def _expire_overdue(*, checkpoint: Checkpoint, user, now) -> None:
    if Attempt.objects.filter(
        checkpoint=checkpoint,
        user=user,
        state=Attempt.State.OPEN,
        deadline__lt=now,
    ).update(state=Attempt.State.EXPIRED):
        cache_versions.bump(cache_versions.person(user.pk))


def quiz_questions_draw(
    *,
    quiz: Quiz,
    role_codes: set[str],
    count: int,
    rng: random.Random,
    asked_before: set[str] | frozenset[str] = frozenset(),
) -> list[AttemptQuestion]:
    """Draw `count` questions a person with these roles may be asked.

    Questions limited to one of the person's roles are drawn first, so a PJMO
    is always asked the PJMO questions before the common ones fill the rest;
    questions limited to other roles are never drawn. Within each, questions
    not in `asked_before` (the last attempt's) come first, so a retake asks a
    fresh set wherever the bank allows. Questions and choices are shuffled;
    true-or-false keeps 正しい before 誤り.
    """
    eligible = [
        block
        for block in quiz.questions
        if block.block_type == "question"
        and (not block.value["roles"] or set(block.value["roles"]) & role_codes)
    ]
    for_roles = [block for block in eligible if block.value["roles"]]
    common = [block for block in eligible if not block.value["roles"]]
    rng.shuffle(for_roles)
    rng.shuffle(common)
    # A stable sort keeps the shuffle within the fresh and the repeated.
    for_roles.sort(key=lambda block: block.id in asked_before)
    common.sort(key=lambda block: block.id in asked_before)
    drawn = (for_roles + common)[:count]
    rng.shuffle(drawn)

    questions = []
    for position, block in enumerate(drawn):
        choices = list(block.value["choices"].bound_blocks)
        choice_keys = [choice.id for choice in choices]
        if block.value["kind"] != QuestionKind.TRUE_FALSE:
            rng.shuffle(choice_keys)
        questions.append(
            AttemptQuestion(
                position=position,
                question_key=block.id,
                kind=block.value["kind"],
                choice_keys=choice_keys,
                correct_keys=sorted(
                    choice.id for choice in choices if choice.value["correct"]
                ),
            )
        )
    return questions


def attempt_start(
    *,
    checkpoint: Checkpoint,
    user,
    session: SessionLike = None,
    rng: random.Random | None = None,
    now=None,
) -> Attempt:
    """Start an attempt at a checkpoint, or return the learner's open one.

    Raises PageNotVisible when the checkpoint's page is not one the learner
    may see (see learning_series.visibility) and QuizError for a refusal.
    """
    now = now or timezone.now()
    rng = rng or random.SystemRandom()
    if not page_visible_to(page=checkpoint.page, user=user, session=session):
        raise PageNotVisible
    with transaction.atomic():
        learner_lock(user)
        checkpoint = Checkpoint.objects.get(pk=checkpoint.pk)
        if not checkpoint.live:
            raise CheckpointUnavailable(_("This checkpoint is not open yet."))
        quiz = Quiz.objects.get(pk=checkpoint.quiz_id)
        if not quiz.live:
            raise CheckpointUnavailable(_("This checkpoint is not open yet."))
        _expire_overdue(checkpoint=checkpoint, user=user, now=now)
        attempts = Attempt.objects.filter(checkpoint=checkpoint, user=user)
        open_attempt = attempts.filter(state=Attempt.State.OPEN).first()
        if open_attempt is not None:
            return open_attempt
        if standing_passes(attempts).exists():
            raise AlreadyPassed(_("You have already passed this checkpoint."))
        last_number = attempts.aggregate(last=Max("number"))["last"] or 0
        if (
            checkpoint.attempt_limit is not None
            and attempts_counted(attempts).count() >= checkpoint.attempt_limit
        ):
            raise AttemptLimitReached(
                _("You have used all your attempts at this checkpoint.")
            )
        roles = learner_role_codes(user=user)
        last = attempts.order_by("-number").first()
        questions = quiz_questions_draw(
            quiz=quiz,
            role_codes=roles,
            count=checkpoint_question_count(checkpoint=checkpoint, role_codes=roles),
            rng=rng,
            asked_before=set(
                last.questions.values_list("question_key", flat=True)
                if last is not None
                else ()
            ),
        )
        if not questions:
            raise CheckpointUnavailable(_("This checkpoint has no questions for you."))
        deadline = None
        if checkpoint.time_limit_minutes:
            deadline = now + timedelta(minutes=checkpoint.time_limit_minutes)
        attempt = Attempt.objects.create(
            checkpoint=checkpoint,
            quiz=quiz,
            quiz_revision_id=quiz.live_revision_id,
            checkpoint_revision_id=checkpoint.live_revision_id,
            user=user,
            number=last_number + 1,
            started_at=now,
            deadline=deadline,
            max_score=len(questions),
        )
        for question in questions:
            question.attempt = attempt
        AttemptQuestion.objects.bulk_create(questions)
    return attempt


def _selected_keys(
    *, questions: list[AttemptQuestion], answers: dict[int, list[int]]
) -> dict[int, list[str]]:
    """Map the positions the form sent to choice keys; refuse anything odd."""
    by_position = {question.position: question for question in questions}
    refused = SubmissionRejected(
        _("The answers sent do not match this attempt. Nothing was recorded.")
    )
    if not set(answers) <= set(by_position):
        raise refused
    selected = {}
    for position, question in by_position.items():
        indexes = answers.get(position, [])
        if len(set(indexes)) != len(indexes) or any(
            not 0 <= index < len(question.choice_keys) for index in indexes
        ):
            raise refused
        if question.kind != QuestionKind.MULTIPLE and len(indexes) > 1:
            raise refused
        selected[position] = sorted(question.choice_keys[index] for index in indexes)
    return selected


def _percent(score: int, max_score: int) -> Decimal:
    return (Decimal(score * 100) / Decimal(max_score)).quantize(
        Decimal("0.01"), rounding=ROUND_DOWN
    )


def attempt_submit(
    *,
    attempt_id: int,
    user,
    answers: dict[int, list[int]],
    session: SessionLike = None,
    allow_unanswered: bool = True,
    now=None,
) -> SubmitOutcome:
    """Grade a learner's attempt from the stored answer key, exactly once.

    `answers` maps a question's position in the attempt to the positions of
    the chosen choices as shown. A submission for an attempt already graded
    returns that result unchanged. Raises Attempt.DoesNotExist for an attempt
    that is not the learner's or whose page they may no longer see,
    UnansweredQuestions (grading nothing) for an open attempt with questions
    left unanswered unless `allow_unanswered`, and QuizError for a refused
    submission.
    """
    now = now or timezone.now()
    with transaction.atomic():
        learner_lock(user)
        # One read: the attempt with its checkpoint, the checkpoint's page and
        # the version it was taken under (locking the attempt's row only).
        attempt = (
            Attempt.objects.select_for_update(of=("self",))
            .select_related(
                "checkpoint",
                "checkpoint__lesson",
                "checkpoint__series",
                "checkpoint_revision",
            )
            .get(pk=attempt_id, user=user)
        )
        if not page_visible_to(
            page=attempt.checkpoint.page, user=user, session=session
        ):
            raise Attempt.DoesNotExist
        if attempt.state == Attempt.State.SUBMITTED:
            return SubmitOutcome(attempt=attempt, graded_now=False)
        if attempt.state == Attempt.State.EXPIRED:
            raise AttemptExpired(_("The time limit for this attempt has passed."))
        questions = list(attempt.questions.all())
        unanswered = [q.position for q in questions if not answers.get(q.position)]
        if unanswered and not allow_unanswered:
            raise UnansweredQuestions(attempt, unanswered)
        # Admission follows the published checkpoint (a lowered limit holds
        # at once); grading follows the version the attempt was taken under.
        # A pass voided later does not count, so a void reopens the checkpoint.
        live_limit = attempt.checkpoint.attempt_limit
        earlier = Attempt.objects.filter(
            checkpoint_id=attempt.checkpoint_id, user=user, number__lte=attempt.number
        )
        if live_limit is not None and attempts_counted(earlier).count() > live_limit:
            raise AttemptLimitReached(
                _("You have used all your attempts at this checkpoint.")
            )
        if attempt.deadline is None or now <= attempt.deadline:
            return _grade(
                attempt=attempt,
                questions=questions,
                checkpoint=checkpoint_as_taken(attempt),
                answers=answers,
                now=now,
            )
        # Late: the attempt closes for good, and that change is kept.
        Attempt.objects.filter(pk=attempt.pk, state=Attempt.State.OPEN).update(
            state=Attempt.State.EXPIRED
        )
        cache_versions.bump(cache_versions.person(attempt.user_id))
    raise AttemptExpired(_("The time limit for this attempt has passed."))


def _answers_save(questions: list[AttemptQuestion]) -> None:
    """Write each question's chosen keys and mark in one statement sent for
    all of them. Django's bulk_update builds a CASE over every row in Python,
    which took a third of a submission, all of it inside the transaction
    that other submissions wait for (SQLite has one writer at a time)."""
    meta = AttemptQuestion._meta
    keys, correct = meta.get_field("selected_keys"), meta.get_field("is_correct")
    quote = connection.ops.quote_name
    # Names come from the model, quoted by the backend; values are parameters.
    sql = (
        f"UPDATE {quote(meta.db_table)} SET {quote(keys.column)} = %s, "  # noqa: S608
        f"{quote(correct.column)} = %s WHERE {quote(meta.pk.column)} = %s"
    )
    with connection.cursor() as cursor:
        cursor.executemany(
            sql,
            [
                (
                    keys.get_db_prep_save(question.selected_keys, connection),
                    question.is_correct,
                    question.pk,
                )
                for question in questions
            ],
        )


def _grade(
    *,
    attempt: Attempt,
    questions: list[AttemptQuestion],
    checkpoint: Checkpoint,
    answers: dict[int, list[int]],
    now,
) -> SubmitOutcome:
    selected = _selected_keys(questions=questions, answers=answers)
    for question in questions:
        question.selected_keys = selected[question.position]
        question.is_correct = question.selected_keys == sorted(question.correct_keys)
    score = sum(1 for question in questions if question.is_correct)
    passed = score * 100 >= checkpoint.pass_mark * attempt.max_score
    result = {
        "state": Attempt.State.SUBMITTED,
        "submitted_at": now,
        "score": score,
        "percent": _percent(score, attempt.max_score),
        "passed": passed,
    }
    claimed = Attempt.objects.filter(pk=attempt.pk, state=Attempt.State.OPEN).update(
        **result
    )
    if not claimed:
        # Graded in between by another request: its result stands.
        attempt.refresh_from_db()
        return SubmitOutcome(attempt=attempt, graded_now=False)
    cache_versions.bump(cache_versions.person(attempt.user_id))
    # The row now holds exactly what was written.
    for name, value in result.items():
        setattr(attempt, name, value)
    _answers_save(questions)
    if passed:
        completion_record_pass(
            attempt=attempt,
            page_revision_id=attempt.checkpoint.page.live_revision_id,
        )
    return SubmitOutcome(attempt=attempt, graded_now=True)
