"""Reads of the completion ledger."""

from __future__ import annotations

import hashlib
import json

from django.db.models import Q

from learning_series.visibility import SessionLike, page_ids_visible_to

from .models import CompletionRecord, CurriculumItem, ExternalTraining, Requirement


def completion_records_for_learner(
    *, user, session: SessionLike = None
) -> list[CompletionRecord]:
    """A learner's own ledger, newest first, with what voided each record.

    Every record is listed (it is the learner's evidence), but a record of a
    lesson or series the learner may no longer see carries `page_visible =
    False`, and its title and link are not shown. Records of external
    trainings and drills name no page and are always shown.
    """
    records = list(
        CompletionRecord.objects.filter(user=user).select_related(
            "lesson", "series", "voided_by", "voids", "external_training"
        )
    )
    visible = page_ids_visible_to(
        page_ids={record.lesson_id or record.series_id for record in records},
        user=user,
        session=session,
    )
    for record in records:
        page_id = record.lesson_id or record.series_id
        record.page_visible = page_id in visible if page_id else True
    return records


def lesson_read_record(*, lesson, user) -> CompletionRecord | None:
    """The learner's standing read-to-the-end record of the lesson's live revision."""
    return CompletionRecord.objects.filter(
        kind=CompletionRecord.Kind.READ_TO_END,
        user=user,
        lesson=lesson,
        page_revision_id=lesson.live_revision_id,
        voided_by__isnull=True,
    ).first()


def ledger_digest(*, db_connection) -> dict:
    """The ledger's row count, highest id and a SHA-256 over every row in id
    order, read through `db_connection`: what a backup records and a restore
    must find again, row for row and id for id."""
    columns = [field.column for field in CompletionRecord._meta.concrete_fields]
    quoted = ", ".join(db_connection.ops.quote_name(column) for column in columns)
    table = db_connection.ops.quote_name(CompletionRecord._meta.db_table)
    digest = hashlib.sha256()
    rows = 0
    highest = None
    with db_connection.cursor() as cursor:
        cursor.execute(f"SELECT {quoted} FROM {table} ORDER BY id")  # noqa: S608
        for row in cursor.fetchall():
            values = dict(zip(columns, row, strict=True))
            digest.update(
                json.dumps(values, default=str, sort_keys=True).encode() + b"\n"
            )
            rows += 1
            highest = values["id"]
    return {"rows": rows, "highest_id": highest, "sha256": digest.hexdigest()}


def pages_hold_training(*, page_ids) -> bool:
    """Whether a curriculum, a requirement or a ledger row names any of these
    pages, so that deleting them would destroy what HR relies on."""
    names = Q(lesson_id__in=page_ids) | Q(series_id__in=page_ids)
    return (
        CurriculumItem.objects.filter(names).exists()
        or Requirement.objects.filter(names).exists()
        or CompletionRecord.objects.filter(names).exists()
    )


def training_holds(instance) -> bool:
    """Whether requirements or ledger rows depend on a curriculum or an
    external training, which is then unpublished or kept, never deleted."""
    if isinstance(instance, ExternalTraining):
        return (
            CurriculumItem.objects.filter(external_training=instance).exists()
            or Requirement.objects.filter(external_training=instance).exists()
            or CompletionRecord.objects.filter(external_training=instance).exists()
        )
    return Requirement.objects.filter(curriculum_id=instance.pk).exists()
