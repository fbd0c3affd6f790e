"""Writes to the organisation: giving people job roles and taking them away.

Curricula follow these assignments (training.services keeps requirements in
step through the `role_assignment_changed` signal), so code that gives or ends
a role goes through here rather than writing RoleAssignment rows itself.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from .models import JobRole, RoleAssignment, StaffProfile

# Sent once the transaction commits, after an assignment is created, changed,
# ended or removed by any path (these services, the admin, the shell), with
# `profile_id`. Receivers should only enqueue work.
role_assignment_changed = Signal()


def role_assignment_changed_on_commit(*, profile_id: int) -> None:
    transaction.on_commit(
        lambda: role_assignment_changed.send(
            sender=StaffProfile, profile_id=profile_id
        ),
        robust=True,
    )


@transaction.atomic
def staff_role_assign(
    *, profile: StaffProfile, role: JobRole, started_on: datetime.date | None = None
) -> RoleAssignment:
    """Give a person a job role from a day (today by default).

    A role the person already holds on that day is returned as it is.
    """
    day = started_on or timezone.localdate()
    held = (
        RoleAssignment.objects.held_on(day).filter(profile=profile, role=role).first()
    )
    if held is not None:
        return held
    # Its post_save handler announces the change.
    return RoleAssignment.objects.create(profile=profile, role=role, started_on=day)


@transaction.atomic
def staff_role_end(
    *, profile: StaffProfile, role: JobRole, ended_on: datetime.date | None = None
) -> int:
    """End a person's job role on a day (today by default: the last day held).

    Returns how many open assignments were ended.
    """
    day = ended_on or timezone.localdate()
    ended = RoleAssignment.objects.filter(
        profile=profile, role=role, ended_on__isnull=True, started_on__lte=day
    ).update(ended_on=day)
    # An assignment that had not started yet by then never happens.
    RoleAssignment.objects.filter(
        profile=profile, role=role, ended_on__isnull=True, started_on__gt=day
    ).delete()
    if ended:
        # update() sends no post_save.
        role_assignment_changed_on_commit(profile_id=profile.pk)
    return ended
