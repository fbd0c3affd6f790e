"""Writes to the completion ledger: passes, reading to the end, attendance at
external trainings and drills, waivers and voids.

Every row is appended, never changed; quizzes record a pass through
`completion_record_pass` inside the transaction that grades the attempt, so a
graded pass and its ledger row exist together or not at all. What training
admins write (attendance, waivers, voids) is also in the audit log.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.log_actions import log
from wagtail.models import Collection, CollectionViewRestriction

from cms.organisation import TRAINING_ADMINS_GROUP
from learning_series.visibility import PageNotVisible, SessionLike, page_visible_to

from .models import CompletionRecord, ExternalTraining, Requirement
from .permissions import may_record_attendance, may_waive
from .reading_evidence import reading_refusal
from .selectors import lesson_read_record


class TrainingError(Exception):
    """A refusal a person caused; the message is for them and nothing changed."""


VOID_PERMISSION = "training.void_completionrecord"

# Audit log actions (registered in wagtail_hooks).
EXTERNAL_ACTION = "gofun.training.external"
WAIVER_ACTION = "gofun.training.waive"
VOID_ACTION = "gofun.training.void"


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
    learning_series.visibility), and TrainingError, with the reason, unless
    the reading is confirmed (training.reading_evidence: the person's view of
    this revision reached the end).
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
        refusal = reading_refusal(lesson=lesson, user=user)
        if refusal is not None:
            raise TrainingError(refusal)
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
        void = CompletionRecord.objects.create(
            kind=CompletionRecord.Kind.VOID,
            user_id=record.user_id,
            lesson_id=record.lesson_id,
            series_id=record.series_id,
            checkpoint_id=record.checkpoint_id,
            external_training_id=record.external_training_id,
            requirement_id=record.requirement_id,
            voids=record,
            reason=reason,
            recorded_by=by,
        )
        log(
            instance=void,
            action=VOID_ACTION,
            user=by,
            data={"voids": record.pk, "kind": record.kind, "reason": reason},
        )
        return void


# No training this ledger records took place before this day; an earlier
# one is a mistyped year (0026 for 2026), which would reach HR's export and
# the LRS as a day in antiquity.
EARLIEST_ATTENDANCE_DAY = datetime.date(2000, 1, 1)


def attendance_day_refusal(day: datetime.date, *, today: datetime.date) -> str:
    """Why a day cannot be the day someone attended a training ("" if it can):
    it is in the future, or before EARLIEST_ATTENDANCE_DAY."""
    if day > today:
        return _("The day attended is in the future.")
    if day < EARLIEST_ATTENDANCE_DAY:
        return _("The day attended is before %(day)s: check the year.") % {
            "day": EARLIEST_ATTENDANCE_DAY.isoformat()
        }
    return ""


def completion_record_external(
    *,
    user,
    external_training: ExternalTraining,
    completed_on: datetime.date,
    by,
    note: str = "",
) -> CompletionRecord:
    """Record that a person attended an external training or drill on a day.

    Refused (TrainingError) for someone without the permission, a day in the
    future, or attendance already recorded for that person, training and day.
    """
    if not may_record_attendance(by):
        raise TrainingError(_("You may not record attendance at trainings."))
    refusal = attendance_day_refusal(completed_on, today=timezone.localdate())
    if refusal:
        raise TrainingError(refusal)
    with transaction.atomic():
        learner_lock(user)
        if (
            CompletionRecord.objects.standing()
            .filter(
                kind=CompletionRecord.Kind.EXTERNAL,
                user=user,
                external_training=external_training,
                completed_on=completed_on,
            )
            .exists()
        ):
            raise TrainingError(_("This attendance is already recorded."))
        record = CompletionRecord.objects.create(
            kind=CompletionRecord.Kind.EXTERNAL,
            user=user,
            external_training=external_training,
            completed_on=completed_on,
            reason=note.strip(),
            recorded_by=by,
        )
        log(
            instance=record,
            action=EXTERNAL_ACTION,
            user=by,
            data={
                "training": external_training.name,
                "completed_on": completed_on.isoformat(),
                "learner": user.get_username(),
            },
        )
    return record


EVIDENCE_COLLECTION = "研修の証跡"


def evidence_collection() -> Collection:
    """The collection waiver evidence goes in, open to training admins alone
    (Wagtail's document view applies the restriction); made on first use."""
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=EVIDENCE_COLLECTION).first()
    if collection is None:
        collection = root.add_child(name=EVIDENCE_COLLECTION)
        restriction = CollectionViewRestriction.objects.create(
            collection=collection,
            restriction_type=CollectionViewRestriction.GROUPS,
        )
        restriction.groups.set(Group.objects.filter(name=TRAINING_ADMINS_GROUP))
    return collection


def evidence_document_create(*, upload, by):
    """A Wagtail document holding a waiver's evidence, in the private
    evidence collection."""
    if not may_waive(by):
        raise TrainingError(_("You may not waive training requirements."))
    document = get_document_model()(
        title=upload.name,
        file=upload,
        collection=evidence_collection(),
        uploaded_by_user=by,
    )
    document._set_document_file_metadata()
    document.save()
    return document


def requirement_waive(
    *, requirement: Requirement, by, reason: str, evidence=None
) -> CompletionRecord:
    """Waive one requirement (免除) with a reason and optional evidence (a
    Wagtail document): a ledger row of its own, in the audit log.

    Refused for someone without the permission, without a reason, for a
    requirement no longer owed, or one waived already.
    """
    reason = reason.strip()
    if not may_waive(by):
        raise TrainingError(_("You may not waive training requirements."))
    if not reason:
        raise TrainingError(_("Say why the requirement is waived."))
    with transaction.atomic():
        requirement = Requirement.objects.select_for_update().get(pk=requirement.pk)
        if not requirement.is_active:
            raise TrainingError(_("This requirement is no longer owed."))
        if (
            CompletionRecord.objects.standing()
            .filter(kind=CompletionRecord.Kind.WAIVED, requirement=requirement)
            .exists()
        ):
            raise TrainingError(_("This requirement is already waived."))
        record = CompletionRecord.objects.create(
            kind=CompletionRecord.Kind.WAIVED,
            user_id=requirement.user_id,
            requirement=requirement,
            lesson_id=requirement.lesson_id,
            series_id=requirement.series_id,
            external_training_id=requirement.external_training_id,
            reason=reason,
            recorded_by=by,
            evidence=evidence,
        )
        log(
            instance=record,
            action=WAIVER_ACTION,
            user=by,
            data={
                "requirement": requirement.pk,
                "item": str(requirement.target),
                "reason": reason,
                "evidence": evidence.pk if evidence is not None else None,
            },
        )
    return record
