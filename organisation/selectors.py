"""Reads of the organisation: who holds which job role, where, on a given day."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from .models import JobRole, RoleAssignment, StaffProfile


def _today() -> datetime.date:
    return timezone.localdate()


def staff_roles(*, user, on: datetime.date | None = None) -> QuerySet[JobRole]:
    """The job roles a person holds on a day (today by default)."""
    day = on or _today()
    return JobRole.objects.filter(
        pk__in=RoleAssignment.objects.held_on(day)
        .filter(profile__user_id=getattr(user, "pk", None))
        .values("role_id")
    )


def staff_role_codes(*, user, on: datetime.date | None = None) -> set[str]:
    """The codes of a person's job roles on a day; none without a profile."""
    if user is None or not getattr(user, "pk", None):
        return set()
    return set(staff_roles(user=user, on=on).values_list("code", flat=True))


@dataclass(frozen=True)
class StaffSnapshot:
    """Where a person stood at a moment: what breakdowns and logs record."""

    division_id: int | None
    post_id: int | None
    role_ids: tuple[int, ...]


def staff_snapshot(*, user, on: datetime.date | None = None) -> StaffSnapshot:
    """A person's division, post and role ids, in two queries at most."""
    empty = StaffSnapshot(division_id=None, post_id=None, role_ids=())
    if user is None or not getattr(user, "pk", None):
        return empty
    profile = (
        StaffProfile.objects.filter(user_id=user.pk)
        .values("pk", "division_id", "post_id")
        .first()
    )
    if profile is None:
        return empty
    role_ids = (
        RoleAssignment.objects.held_on(on or _today())
        .filter(profile_id=profile["pk"])
        .order_by("role_id")
        .values_list("role_id", flat=True)
        .distinct()
    )
    return StaffSnapshot(
        division_id=profile["division_id"],
        post_id=profile["post_id"],
        role_ids=tuple(role_ids),
    )
