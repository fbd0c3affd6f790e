"""Reads of the completion ledger."""

from __future__ import annotations

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
