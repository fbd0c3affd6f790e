"""Who may see whose training: the one privacy rule, in one place.

- A learner sees only their own requirements and records: the learner's
  pages and `training_status` take no person but the one signed in (or named
  on the command line, by someone with shell access).
- Editors (編集者, `training.report_requirement`) see completion rates only:
  aggregates, never names, and no group smaller than
  GOFUN_PRIVACY_MIN_GROUP_SIZE (k = 5) in any breakdown.
- Training admins (研修担当, `training.view_requirement`) see people: the
  matrix, the overdue list, certifications and anyone's transcript.

Selectors that return people call `require_people_access`; the rate
selector calls `require_rates_access` and `large_groups_only`; the admin's
report views use the same permission policies. Nothing else decides.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied
from wagtail.permission_policies import ModelPermissionPolicy

from .models import CompletionRecord, ExternalTraining, Requirement

requirement_policy = ModelPermissionPolicy(Requirement)
external_training_policy = ModelPermissionPolicy(ExternalTraining)
ledger_policy = ModelPermissionPolicy(CompletionRecord)

# Actions of requirement_policy.
SEE_PEOPLE = "view"
SEE_RATES = "report"
WAIVE = "waive"
# Action of external_training_policy.
RECORD_ATTENDANCE = "record"

Row = TypeVar("Row")


def may_see_people(user) -> bool:
    """Training admins: people's requirements, statuses and records."""
    return requirement_policy.user_has_permission(user, SEE_PEOPLE)


def may_see_rates(user) -> bool:
    """Editors and training admins: completion rates of groups."""
    return requirement_policy.user_has_any_permission(user, [SEE_PEOPLE, SEE_RATES])


def may_waive(user) -> bool:
    return requirement_policy.user_has_permission(user, WAIVE)


def may_record_attendance(user) -> bool:
    return external_training_policy.user_has_permission(user, RECORD_ATTENDANCE)


def require_people_access(user) -> None:
    if not may_see_people(user):
        raise PermissionDenied


def require_rates_access(user) -> None:
    if not may_see_rates(user):
        raise PermissionDenied


def smallest_group_shown() -> int:
    """k: a breakdown shows no group of fewer people than this."""
    return max(1, int(getattr(settings, "GOFUN_PRIVACY_MIN_GROUP_SIZE", 5)))


def large_groups_only(
    rows: Iterable[Row], *, people: Callable[[Row], int]
) -> tuple[list[Row], int]:
    """The rows of a breakdown that may be shown, and how many were left out.

    Groups of fewer than k people are left out. So that none of them can be
    worked out by subtracting the rest from the total, the smallest of the
    others are left out with them until those left out hold k people at
    least (complementary suppression).
    """
    k = smallest_group_shown()
    rows = list(rows)
    hidden = {index for index, row in enumerate(rows) if people(row) < k}
    hidden_people = sum(people(rows[index]) for index in hidden)
    by_size = sorted(
        (index for index in range(len(rows)) if index not in hidden),
        key=lambda index: people(rows[index]),
    )
    while hidden and hidden_people < k and by_size:
        index = by_size.pop(0)
        hidden.add(index)
        hidden_people += people(rows[index])
    kept = [row for index, row in enumerate(rows) if index not in hidden]
    return kept, len(hidden)
