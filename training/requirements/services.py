"""Writes to requirements: keeping them in step, and re-opening them after a
material revision. See training.requirements for what is stored and why."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import PageLogEntry, Revision

from cms import cache_versions
from learning_series.models import LessonPage
from organisation.models import RoleAssignment, StaffProfile

from ..models import (
    CompletionRecord,
    Curriculum,
    CurriculumItem,
    LessonMaterialChange,
    Requirement,
)
from .due_dates import due_on_for, period_on, retraining_notice

logger = logging.getLogger("gofun.training")

MATERIAL_CHANGE_ACTION = "gofun.training.material_change"
TARGET_FIELDS = ("series", "lesson", "external_training")


@dataclass(frozen=True)
class _Obligation:
    """A requirement as the curricula say it should be today."""

    user_id: int
    curriculum_id: int
    item_id: int
    target_field: str
    target_id: int
    period: str
    counts_from: datetime.date | None
    period_end: datetime.date | None
    started_on: datetime.date
    due_on: datetime.date

    @property
    def key(self) -> tuple:
        return (
            self.user_id,
            self.curriculum_id,
            self.target_field,
            self.target_id,
            self.period,
        )


@dataclass
class SyncResult:
    created: int = 0
    updated: int = 0
    lapsed: int = 0
    people: int = 0
    lapsed_by_reason: dict[str, int] = field(default_factory=dict)


@dataclass
class _Person:
    joined_on: datetime.date | None
    # role id → the day the person's current hold of it began
    roles: dict[int, datetime.date] = field(default_factory=dict)


def _target(requirement_or_item) -> tuple[str, int]:
    for name in TARGET_FIELDS:
        value = getattr(requirement_or_item, f"{name}_id")
        if value is not None:
            return name, value
    raise ValueError("names nothing")


def _people(*, user_ids: set[int] | None, today: datetime.date) -> dict[int, _Person]:
    """Everyone with a staff profile (active or not: simulated and absent
    staff owe training too), with the roles counting today."""
    profiles = StaffProfile.objects.all()
    if user_ids is not None:
        profiles = profiles.filter(user_id__in=user_ids)
    people = {
        row["user_id"]: _Person(joined_on=row["joined_on"])
        for row in profiles.values("user_id", "joined_on")
    }
    # A role counts from its first day to the day before its last.
    assignments = RoleAssignment.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=today),
        started_on__lte=today,
        profile__user_id__in=list(people),
    ).values_list("profile__user_id", "role_id", "started_on")
    for user_id, role_id, started_on in assignments:
        roles = people[user_id].roles
        roles[role_id] = min(started_on, roles.get(role_id, started_on))
    return people


def _published_curricula() -> list[Curriculum]:
    return list(Curriculum.objects.filter(live=True).prefetch_related("items"))


def _obligations(
    *, people: dict[int, _Person], curricula: list[Curriculum], today: datetime.date
) -> dict[tuple, _Obligation]:
    obligations = {}
    for user_id, person in people.items():
        for curriculum in curricula:
            if curriculum.for_all_staff:
                started = person.joined_on or today
                if started > today:
                    continue  # not joined yet
            elif curriculum.role_id in person.roles:
                started = person.roles[curriculum.role_id]
            else:
                continue
            for item in curriculum.items.all():
                period = period_on(recurrence=item.recurrence, day=today)
                target_field, target_id = _target(item)
                obligation = _Obligation(
                    user_id=user_id,
                    curriculum_id=curriculum.pk,
                    item_id=item.pk,
                    target_field=target_field,
                    target_id=target_id,
                    period=period.key,
                    counts_from=period.start,
                    period_end=period.end,
                    started_on=started
                    if period.start is None
                    else max(started, period.start),
                    due_on=due_on_for(
                        rule=item.due_rule,
                        due_date=item.due_date,
                        due_days=item.due_days,
                        period=period,
                        started_on=started,
                        joined_on=person.joined_on,
                    ),
                )
                obligations[obligation.key] = obligation
    return obligations


@transaction.atomic
def curriculum_create(
    *,
    name: str,
    items: list[dict],
    role=None,
    for_all_staff: bool = False,
    description: str = "",
    user=None,
    publish: bool = True,
) -> Curriculum:
    """A curriculum with its items (dicts of CurriculumItem fields) and a
    logged revision, published unless `publish` is false. Requirements follow
    once the transaction commits (the published signal enqueues a sync)."""
    curriculum = Curriculum(
        name=name,
        role=role,
        for_all_staff=for_all_staff,
        description=description,
        live=False,
    )
    curriculum.items = [
        CurriculumItem(sort_order=number, **item) for number, item in enumerate(items)
    ]
    curriculum.full_clean()
    for item in curriculum.items.all():
        item.full_clean(exclude=["curriculum"])
    curriculum.save()
    revision = curriculum.save_revision(user=user, log_action=True)
    if publish:
        revision.publish(user=user)
        curriculum.refresh_from_db()
    return curriculum


def _retraining_due(change: LessonMaterialChange) -> datetime.date:
    return timezone.localdate(change.published_at) + retraining_notice()


def _lock_people(user_ids: Iterable[int]) -> None:
    """Serialise syncs of the same people (PostgreSQL; SQLite's IMMEDIATE
    transactions serialise writers already), in a fixed order."""
    list(
        get_user_model()
        .objects.select_for_update()
        .filter(pk__in=list(user_ids))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def requirements_sync(
    *, user_ids: Iterable[int] | None = None, today: datetime.date | None = None
) -> SyncResult:
    """Bring stored requirements in line with the published curricula, the
    people's roles and joining dates, and the day (today by default).

    Idempotent: run twice, the second run changes nothing. It creates what is
    newly owed, moves due dates that a curriculum or a start date changed,
    and lapses what is no longer owed (role ended, item withdrawn, a new
    period begun), keeping the rows. `user_ids` limits it to some people;
    None means everyone. A fixed number of queries, however many people.
    """
    today = today or timezone.localdate()
    wanted = None if user_ids is None else set(user_ids)
    result = SyncResult()
    with transaction.atomic():
        people = _people(user_ids=wanted, today=today)
        active = Requirement.objects.active().select_related("material_change")
        if wanted is not None:
            active = active.filter(user_id__in=wanted)
        active = list(active)
        _lock_people({*people, *(req.user_id for req in active)})
        curricula = _published_curricula()
        obligations = _obligations(people=people, curricula=curricula, today=today)
        applicable = {(o.user_id, o.curriculum_id) for o in obligations.values()}
        targets = {
            (o.user_id, o.curriculum_id, o.target_field, o.target_id)
            for o in obligations.values()
        }
        to_update = []
        to_lapse: dict[str, list[int]] = {}
        for requirement in active:
            target_field, target_id = _target(requirement)
            key = (
                requirement.user_id,
                requirement.curriculum_id,
                target_field,
                target_id,
                requirement.period,
            )
            obligation = obligations.pop(key, None)
            if obligation is None:
                if (requirement.user_id, requirement.curriculum_id) not in applicable:
                    reason = Requirement.LapseReason.ROLE_ENDED
                elif key[:4] not in targets:
                    reason = Requirement.LapseReason.WITHDRAWN
                else:
                    reason = Requirement.LapseReason.PERIOD_ENDED
                to_lapse.setdefault(reason, []).append(requirement.pk)
                continue
            due_on = obligation.due_on
            if requirement.material_change is not None:
                due_on = max(due_on, _retraining_due(requirement.material_change))
            fresh = (
                obligation.item_id,
                obligation.started_on,
                due_on,
                obligation.counts_from,
                obligation.period_end,
            )
            current = (
                requirement.item_id,
                requirement.started_on,
                requirement.due_on,
                requirement.counts_from,
                requirement.period_end,
            )
            if fresh != current:
                (
                    requirement.item_id,
                    requirement.started_on,
                    requirement.due_on,
                    requirement.counts_from,
                    requirement.period_end,
                ) = fresh
                to_update.append(requirement)
        for reason, pks in to_lapse.items():
            Requirement.objects.filter(pk__in=pks).update(
                lapsed_on=today, lapse_reason=reason
            )
            result.lapsed += len(pks)
            result.lapsed_by_reason[reason] = len(pks)
        if to_update:
            Requirement.objects.bulk_update(
                to_update,
                ["item", "started_on", "due_on", "counts_from", "period_end"],
                batch_size=500,
            )
            result.updated = len(to_update)
        Requirement.objects.bulk_create(
            (
                Requirement(
                    user_id=o.user_id,
                    curriculum_id=o.curriculum_id,
                    item_id=o.item_id,
                    period=o.period,
                    counts_from=o.counts_from,
                    period_end=o.period_end,
                    started_on=o.started_on,
                    due_on=o.due_on,
                    opened_on=today,
                    **{f"{o.target_field}_id": o.target_id},
                )
                for o in obligations.values()
            ),
            batch_size=500,
        )
        result.created = len(obligations)
        result.people = len(people)
        if result.created or result.updated or result.lapsed:
            # Bulk writes send no signals: pages built for people are stale.
            cache_versions.bump(cache_versions.TRAINING)
    return result


def _completed_only_before(
    *, requirements: list[Requirement], change: LessonMaterialChange
) -> set[int]:
    """The requirements whose person completed the changed lesson (in a way
    that counted for the requirement) only in revisions before the change."""
    records = (
        CompletionRecord.objects.standing()
        .filter(
            user_id__in={requirement.user_id for requirement in requirements},
            lesson_id=change.lesson_id,
            kind__in=[
                CompletionRecord.Kind.QUIZ_PASSED,
                CompletionRecord.Kind.READ_TO_END,
            ],
        )
        .values_list("user_id", "page_revision_id", "recorded_at")
    )
    by_user: dict[int, list[tuple[int | None, datetime.date]]] = {}
    for user_id, revision_id, recorded_at in records:
        by_user.setdefault(user_id, []).append(
            (revision_id, timezone.localdate(recorded_at))
        )
    affected = set()
    for requirement in requirements:
        counted = [
            revision_id
            for revision_id, day in by_user.get(requirement.user_id, [])
            if requirement.counts_from is None or day >= requirement.counts_from
        ]
        if counted and all(
            revision_id is None or revision_id < change.revision_id
            for revision_id in counted
        ):
            affected.add(requirement.pk)
    return affected


def requirements_reopen_for_material_change(*, change: LessonMaterialChange) -> int:
    """Re-open the lesson (or its series) for everyone whose completion of it
    was of an earlier revision: their requirement lapses as re-opened and a
    new one, due no sooner than GOFUN_TRAINING_RETRAINING_DAYS after the
    change, takes its place. Waived requirements are left alone. Returns how
    many were re-opened."""
    lesson = change.lesson
    series_id = lesson.get_parent().pk
    retraining_due = _retraining_due(change)
    today = timezone.localdate(change.published_at)
    reopened = 0
    with transaction.atomic():
        candidates = (
            Requirement.objects.active()
            .filter(Q(lesson_id=lesson.pk) | Q(series_id=series_id))
            .exclude(
                pk__in=CompletionRecord.objects.standing()
                .filter(kind=CompletionRecord.Kind.WAIVED)
                .values("requirement_id")
            )
            .exclude(material_change=change)
        )
        candidates = list(candidates)
        affected = _completed_only_before(requirements=candidates, change=change)
        for requirement in candidates:
            if requirement.pk not in affected:
                continue
            Requirement.objects.filter(pk=requirement.pk).update(
                lapsed_on=today, lapse_reason=Requirement.LapseReason.RETRAINING
            )
            Requirement.objects.create(
                user_id=requirement.user_id,
                curriculum_id=requirement.curriculum_id,
                item_id=requirement.item_id,
                series_id=requirement.series_id,
                lesson_id=requirement.lesson_id,
                external_training_id=requirement.external_training_id,
                period=requirement.period,
                counts_from=requirement.counts_from,
                period_end=requirement.period_end,
                started_on=requirement.started_on,
                due_on=max(requirement.due_on, retraining_due),
                opened_on=today,
                material_change=change,
            )
            reopened += 1
    if reopened:
        cache_versions.bump(cache_versions.TRAINING)
    return reopened


def lesson_material_change_record(*, revision_id: int) -> LessonMaterialChange | None:
    """Record that a lesson revision was published as a material change, if
    it was, and re-open the lesson for those who completed an earlier one.

    Idempotent: a revision is recorded once. The editor who published it
    and when come from Wagtail's publish log entry. The choice belongs to
    that publication alone, so the lesson's own row is unmarked again; the
    revision keeps it. Both the change and the people re-opened are in the
    lesson's audit log.
    """
    revision = Revision.page_revisions.filter(pk=revision_id).first()
    if revision is None or not revision.content.get("material_change"):
        return None
    with transaction.atomic():
        existing = LessonMaterialChange.objects.filter(revision=revision).first()
        if existing is not None:
            return existing
        lesson = LessonPage.objects.filter(pk=revision.object_id).first()
        if lesson is None:
            return None
        published = (
            PageLogEntry.objects.filter(
                page_id=lesson.pk, action="wagtail.publish", revision=revision
            )
            .order_by("-timestamp")
            .first()
        )
        change = LessonMaterialChange.objects.create(
            lesson=lesson,
            revision=revision,
            reason=(revision.content.get("material_change_reason") or "").strip(),
            published_by=published.user if published else revision.user,
            published_at=(
                published.timestamp
                if published
                else lesson.last_published_at or timezone.now()
            ),
        )
        LessonPage.objects.filter(pk=lesson.pk).update(
            material_change=False, material_change_reason=""
        )
        reopened = requirements_reopen_for_material_change(change=change)
        log(
            instance=lesson,
            action=MATERIAL_CHANGE_ACTION,
            user=change.published_by,
            revision=revision,
            data={"reason": change.reason, "reopened": reopened},
        )
    logger.info(
        "Lesson %s revision %s is a material change; %s requirements re-opened",
        lesson.pk,
        revision.pk,
        reopened,
    )
    return change
