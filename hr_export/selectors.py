"""Reads for HR: ledger rows with the person, the item and the roles held.

Every export (CSV, XLSX, xAPI, the LRS outbox and the admin's preview) reads
the ledger through `ledger_entries`, so each says the same about each row.
It reads in chunks of rows in a fixed number of queries per chunk, whatever
the size of the ledger.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from wagtail.models import Page

from learning_series.models import SeriesPage
from organisation.models import RoleAssignment
from training.models import CompletionRecord

from .models import LrsOutboxEntry

CHUNK_SIZE = 1000


@dataclass(frozen=True)
class Activity:
    """Something a person completes: a lesson, a series, a checkpoint or an
    external training (whose `variant` says training or drill)."""

    kind: str
    pk: int
    title: str
    variant: str = ""


@dataclass(frozen=True)
class LedgerEntry:
    """One ledger row, with what HR's exports say about it.

    The person's division and post are today's; their roles are those held on
    the day of the record. `staff_number` is "" for a person without one.
    `completed_on` is the day attended, for an external training or drill.
    """

    record_id: int
    kind: str
    recorded_at: datetime.datetime
    username: str
    staff_number: str
    name: str
    division: str
    post: str
    roles: tuple[str, ...]
    lesson: Activity | None
    series: Activity | None
    checkpoint: Activity | None
    external: Activity | None
    completed_on: datetime.date | None
    percent: Decimal | None
    lesson_revision_id: int | None
    voids_record_id: int | None
    reason: str
    recorded_by_staff_number: str

    @property
    def item(self) -> Activity | None:
        """What the row is about: the lesson, else the series, else the
        external training."""
        return self.lesson or self.series or self.external


def completion_records_recorded_since(
    *, records: QuerySet[CompletionRecord] | None = None, since: datetime.date | None
) -> QuerySet[CompletionRecord]:
    """Ledger rows recorded on or after a day in the site's time zone (all
    rows without one)."""
    records = CompletionRecord.objects.all() if records is None else records
    if since is None:
        return records
    start = timezone.make_aware(
        datetime.datetime.combine(since, datetime.time.min),
        timezone.get_current_timezone(),
    )
    try:
        start.astimezone(datetime.UTC)
    except OverflowError:
        return records  # a day before any time the database can hold
    return records.filter(recorded_at__gte=start)


def ledger_entries(
    *, records: QuerySet[CompletionRecord], chunk_size: int = CHUNK_SIZE
) -> Iterator[LedgerEntry]:
    """The rows of `records` as LedgerEntry, oldest (lowest id) first."""
    last_pk = 0
    while True:
        chunk = list(
            records.filter(pk__gt=last_pk)
            .order_by("pk")
            .select_related(
                "user__staff_profile__division",
                "user__staff_profile__post",
                "lesson",
                "series",
                "checkpoint__quiz",
                "external_training",
                "recorded_by__staff_profile",
            )[:chunk_size]
        )
        if not chunk:
            return
        yield from _entries(chunk)
        last_pk = chunk[-1].pk


def _entries(records: list[CompletionRecord]) -> Iterator[LedgerEntry]:
    roles = _role_assignments(records)
    series_of_lessons = _series_of_lessons(records)
    for record in records:
        profile = getattr(record.user, "staff_profile", None)
        lesson = record.lesson
        series = record.series
        if lesson is not None and series is None:
            series = series_of_lessons.get(lesson.pk)
        external = record.external_training
        day = timezone.localdate(record.recorded_at)
        yield LedgerEntry(
            record_id=record.pk,
            kind=record.kind,
            recorded_at=record.recorded_at,
            username=record.user.get_username(),
            staff_number=(profile.staff_number or "") if profile else "",
            name=record.user.get_full_name() or record.user.get_username(),
            division=profile.division.name if profile else "",
            post=profile.post.name if profile else "",
            roles=tuple(
                name
                for name, started_on, ended_on in roles.get(record.user_id, ())
                if started_on <= day and (ended_on is None or ended_on >= day)
            ),
            lesson=Activity("lesson", lesson.pk, lesson.title) if lesson else None,
            series=(Activity("series", series.pk, series.title) if series else None),
            checkpoint=(
                Activity(
                    "checkpoint", record.checkpoint.pk, record.checkpoint.quiz.title
                )
                if record.checkpoint
                else None
            ),
            external=(
                Activity("external-training", external.pk, external.name, external.kind)
                if external
                else None
            ),
            completed_on=record.completed_on,
            percent=record.percent,
            lesson_revision_id=record.page_revision_id,
            voids_record_id=record.voids_id,
            reason=record.reason,
            recorded_by_staff_number=_staff_number(record.recorded_by),
        )


def _staff_number(user) -> str:
    profile = getattr(user, "staff_profile", None) if user else None
    return (profile.staff_number or "") if profile else ""


def _role_assignments(
    records,
) -> dict[int, list[tuple[str, datetime.date, datetime.date | None]]]:
    """Each person's role assignments, in the roles' order, in one query."""
    assignments = (
        RoleAssignment.objects.filter(
            profile__user_id__in={record.user_id for record in records}
        )
        .order_by("role__sort_order", "role__name", "started_on")
        .values_list("profile__user_id", "role__name", "started_on", "ended_on")
    )
    held = defaultdict(list)
    for user_id, name, started_on, ended_on in assignments:
        held[user_id].append((name, started_on, ended_on))
    return held


def _series_of_lessons(records) -> dict[int, SeriesPage]:
    """The series each lesson belongs to (its parent page), in one query."""
    lessons = {record.lesson.pk: record.lesson for record in records if record.lesson}
    parent_paths = {lesson.path[: -Page.steplen]: pk for pk, lesson in lessons.items()}
    by_path = {
        series.path: series
        for series in SeriesPage.objects.filter(path__in=parent_paths).only(
            "pk", "path", "title"
        )
    }
    return {
        pk: by_path[lesson.path[: -Page.steplen]]
        for pk, lesson in lessons.items()
        if lesson.path[: -Page.steplen] in by_path
    }


def ledger_records_without_staff_number() -> QuerySet[CompletionRecord]:
    """Ledger rows of people with no staff number, whom xAPI cannot name."""
    return CompletionRecord.objects.filter(
        Q(user__staff_profile__isnull=True)
        | Q(user__staff_profile__staff_number__isnull=True)
    )


@dataclass(frozen=True)
class OutboxStatus:
    pending: int
    sent: int
    rejected: int
    waiting_for_staff_number: int
    not_yet_queued: int
    oldest_pending_at: datetime.datetime | None
    last_error: str

    def as_dict(self) -> dict:
        oldest = self.oldest_pending_at
        return {**asdict(self), "oldest_pending_at": oldest and oldest.isoformat()}


def lrs_outbox_status() -> OutboxStatus:
    """How far the ledger has got to the LRS."""
    counts = dict(
        LrsOutboxEntry.objects.order_by()
        .values_list("status")
        .annotate(count=Count("pk"))
    )
    unqueued = CompletionRecord.objects.filter(lrs_outbox_entry__isnull=True)
    without_number = ledger_records_without_staff_number().filter(
        lrs_outbox_entry__isnull=True
    )
    waiting = without_number.count()
    pending = LrsOutboxEntry.objects.filter(status=LrsOutboxEntry.Status.PENDING)
    oldest = pending.order_by("created_at").values_list("created_at", flat=True).first()
    last_error = (
        LrsOutboxEntry.objects.exclude(last_error="")
        .exclude(status=LrsOutboxEntry.Status.SENT)
        .order_by("-pk")
        .values_list("last_error", flat=True)
        .first()
    )
    return OutboxStatus(
        pending=counts.get(LrsOutboxEntry.Status.PENDING, 0),
        sent=counts.get(LrsOutboxEntry.Status.SENT, 0),
        rejected=counts.get(LrsOutboxEntry.Status.REJECTED, 0),
        waiting_for_staff_number=waiting,
        not_yet_queued=unqueued.count() - waiting,
        oldest_pending_at=oldest,
        last_error=last_error or "",
    )


def lrs_outbox_rejected() -> QuerySet[LrsOutboxEntry]:
    """Statements the LRS refused, with its answer, oldest first."""
    return LrsOutboxEntry.objects.filter(
        status=LrsOutboxEntry.Status.REJECTED
    ).order_by("record_id")
