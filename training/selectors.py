"""Reads of the completion ledger."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import CompletionRecord


def completion_records_for_learner(*, user) -> QuerySet[CompletionRecord]:
    """A learner's own ledger, newest first, with what voided each record."""
    return CompletionRecord.objects.filter(user=user).select_related(
        "lesson", "series", "voided_by", "voids"
    )


def lesson_read_record(*, lesson, user) -> CompletionRecord | None:
    """The learner's standing read-to-the-end record of the lesson's live revision."""
    return CompletionRecord.objects.filter(
        kind=CompletionRecord.Kind.READ_TO_END,
        user=user,
        lesson=lesson,
        page_revision_id=lesson.live_revision_id,
        voided_by__isnull=True,
    ).first()
