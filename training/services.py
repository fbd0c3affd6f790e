"""Writes to the completion ledger: passes, reading to the end, voids.

Every row is appended, never changed; quizzes record a pass through
`completion_record_pass` inside the transaction that grades the attempt, so a
graded pass and its ledger row exist together or not at all.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from learning_series.visibility import PageNotVisible, SessionLike, page_visible_to

from .models import CompletionRecord
from .selectors import lesson_read_record


class TrainingError(Exception):
    """A refusal a person caused; the message is for them and nothing changed."""


VOID_PERMISSION = "training.void_completionrecord"


def learner_lock(user) -> None:
    """Serialise one learner's checkpoint and ledger writes; call inside a
    transaction (nothing on SQLite, whose IMMEDIATE transactions serialise
    writers already)."""
    if not transaction.get_connection().features.has_select_for_update:
        return
    list(
        get_user_model()
        .objects.select_for_update()
        .filter(pk=user.pk)
        .values_list("pk", flat=True)
    )


def completion_record_pass(
    *, attempt, page_revision_id: int | None
) -> CompletionRecord:
    """Record a passed checkpoint attempt; call inside the grading transaction."""
    checkpoint = attempt.checkpoint
    return CompletionRecord.objects.create(
        kind=CompletionRecord.Kind.QUIZ_PASSED,
        user_id=attempt.user_id,
        lesson_id=checkpoint.lesson_id,
        series_id=checkpoint.series_id,
        page_revision_id=page_revision_id,
        checkpoint=checkpoint,
        attempt=attempt,
        percent=attempt.percent,
    )


def completion_record_read_to_end(
    *, lesson, user, session: SessionLike = None
) -> CompletionRecord:
    """Record that a learner read a lesson without a checkpoint to the end.

    Reading the same revision again returns the record already made. Raises
    PageNotVisible for a lesson the learner may not see (see
    learning_series.visibility).
    """
    from quizzes.models import Checkpoint

    if not page_visible_to(page=lesson, user=user, session=session):
        raise PageNotVisible
    if Checkpoint.objects.filter(lesson=lesson).exists():
        raise TrainingError(_("This lesson is completed by passing its checkpoint."))
    with transaction.atomic():
        learner_lock(user)
        existing = lesson_read_record(lesson=lesson, user=user)
        if existing is not None:
            return existing
        return CompletionRecord.objects.create(
            kind=CompletionRecord.Kind.READ_TO_END,
            user=user,
            lesson=lesson,
            page_revision_id=lesson.live_revision_id,
        )


def completion_record_void(
    *, record: CompletionRecord, by, reason: str
) -> CompletionRecord:
    """Void a record by appending a new one that says who voided it and why.

    A voided pass no longer counts: the checkpoint opens again for the learner.
    """
    reason = reason.strip()
    if not by.has_perm(VOID_PERMISSION):
        raise TrainingError(_("You may not void completion records."))
    if not reason:
        raise TrainingError(_("Say why the record is void."))
    if record.kind == CompletionRecord.Kind.VOID:
        raise TrainingError(
            _("A void cannot itself be voided; record a new completion.")
        )
    with transaction.atomic():
        if CompletionRecord.objects.filter(voids=record).exists():
            raise TrainingError(_("This record has already been voided."))
        return CompletionRecord.objects.create(
            kind=CompletionRecord.Kind.VOID,
            user_id=record.user_id,
            lesson_id=record.lesson_id,
            series_id=record.series_id,
            checkpoint_id=record.checkpoint_id,
            voids=record,
            reason=reason,
            recorded_by=by,
        )
