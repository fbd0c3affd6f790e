"""Reads for the compliance reports: the staff × item matrix, completion
rates, the overdue list, certifications and anyone's transcript.

Each selector asks training.permissions first: people for training admins,
rates (without names, small groups hidden) for editors too.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisation.models import JobRole, RoleAssignment, StaffProfile

from .models import CompletionRecord, Curriculum, CurriculumItem, Requirement
from .permissions import large_groups_only, require_people_access, require_rates_access
from .requirements.selectors import (
    Certification,
    PersonTraining,
    RequirementState,
    Status,
    certifications_from,
    person_training,
    requirement_states,
    requirements_with_targets,
)

BREAKDOWNS = {
    "division": _("Division"),
    "post": _("Post"),
    "role": _("Job role"),
}


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def staff_profiles_matching(
    *,
    division=None,
    post=None,
    role: JobRole | None = None,
    today: datetime.date | None = None,
) -> QuerySet[StaffProfile]:
    """Staff of a division, post and job role (held today), each optional."""
    profiles = StaffProfile.objects.select_related("user", "division", "post")
    if division is not None:
        profiles = profiles.filter(division=division)
    if post is not None:
        profiles = profiles.filter(post=post)
    if role is not None:
        profiles = profiles.filter(
            pk__in=RoleAssignment.objects.held_on(_today(today))
            .filter(role=role)
            .values("profile_id")
        )
    return profiles.order_by("division__name", "staff_number", "pk")


def _target_of(thing) -> tuple[str, int]:
    for name in ("series", "lesson", "external_training"):
        value = getattr(thing, f"{name}_id")
        if value is not None:
            return name, value
    return "", 0


@dataclass
class MatrixRow:
    profile: StaffProfile
    # One per curriculum item, in the curriculum's order; None where the
    # person owes the item no requirement (not in the role, say).
    cells: list[RequirementState | None]


def curriculum_items(curriculum: Curriculum) -> list[CurriculumItem]:
    return list(
        curriculum.items.select_related(
            "series", "lesson", "external_training"
        ).order_by("sort_order", "pk")
    )


def compliance_matrix_rows(
    *,
    viewer,
    curriculum: Curriculum,
    profiles: Iterable[StaffProfile],
    today: datetime.date | None = None,
) -> list[MatrixRow]:
    """Each person's status for each item of a curriculum (training admins)."""
    require_people_access(viewer)
    profiles = list(profiles)
    items = curriculum_items(curriculum)
    requirements = (
        requirements_with_targets()
        .active()
        .filter(curriculum=curriculum, user_id__in=[p.user_id for p in profiles])
    )
    states = requirement_states(list(requirements), today=_today(today))
    by_cell = {
        (state.requirement.user_id, *_target_of(state.requirement)): state
        for state in states
    }
    return [
        MatrixRow(
            profile=profile,
            cells=[by_cell.get((profile.user_id, *_target_of(item))) for item in items],
        )
        for profile in profiles
    ]


@dataclass
class RateRow:
    """Completion in one group: people owing something, requirements, met."""

    group: str
    people: int = 0
    required: int = 0
    met: int = 0
    overdue: int = 0

    @property
    def rate(self) -> float:
        return round(100 * self.met / self.required, 1) if self.required else 0.0

    @property
    def overdue_rate(self) -> float:
        return round(100 * self.overdue / self.required, 1) if self.required else 0.0


@dataclass
class RateReport:
    rows: list[RateRow]
    hidden_groups: int = 0
    smallest_group: int = 0


def completion_rates(
    *,
    viewer,
    breakdown: str,
    curriculum: Curriculum | None = None,
    today: datetime.date | None = None,
) -> RateReport:
    """Completion rates of current requirements by division, post or job role
    (editors and training admins).

    A person holding several roles counts in each. Groups of fewer than k
    people (GOFUN_PRIVACY_MIN_GROUP_SIZE) are left out, and so is the whole
    when it is that small: no names, and nobody singled out.
    """
    from .permissions import smallest_group_shown

    require_rates_access(viewer)
    if breakdown not in BREAKDOWNS:
        raise ValueError(breakdown)
    today = _today(today)
    requirements = Requirement.objects.active().select_related("curriculum")
    if curriculum is not None:
        requirements = requirements.filter(curriculum=curriculum)
    states = requirement_states(list(requirements), today=today)
    user_ids = {state.requirement.user_id for state in states}
    profiles = {
        row["user_id"]: row
        for row in StaffProfile.objects.filter(user_id__in=user_ids).values(
            "user_id", "division__name", "post__name"
        )
    }
    groups_of: dict[int, list[str]] = defaultdict(list)
    if breakdown == "role":
        for user_id, role_name in (
            RoleAssignment.objects.held_on(today)
            .filter(profile__user_id__in=user_ids)
            .values_list("profile__user_id", "role__name")
            .distinct()
        ):
            groups_of[user_id].append(role_name)
    else:
        column = f"{breakdown}__name"
        for user_id, row in profiles.items():
            groups_of[user_id].append(row[column])
    rows: dict[str, RateRow] = {}
    people: dict[str, set[int]] = defaultdict(set)
    total = RateRow(group=str(_("All staff")))
    everyone: set[int] = set()
    for state in states:
        user_id = state.requirement.user_id
        targets = [rows.setdefault(g, RateRow(group=g)) for g in groups_of[user_id]]
        for row in [*targets, total]:
            row.required += 1
            row.met += state.is_met
            row.overdue += state.status == Status.OVERDUE
        for group in groups_of[user_id]:
            people[group].add(user_id)
        everyone.add(user_id)
    for group, row in rows.items():
        row.people = len(people[group])
    total.people = len(everyone)
    ordered = sorted(rows.values(), key=lambda row: row.group)
    kept, hidden = large_groups_only(ordered, people=lambda row: row.people)
    if total.people and total.people >= smallest_group_shown():
        kept.append(total)
    return RateReport(
        rows=kept, hidden_groups=hidden, smallest_group=smallest_group_shown()
    )


@dataclass
class OverdueRow:
    profile: StaffProfile
    state: RequirementState
    days_overdue: int


def overdue_rows(
    *,
    viewer,
    profiles: QuerySet[StaffProfile],
    curriculum: Curriculum | None = None,
    today: datetime.date | None = None,
) -> list[OverdueRow]:
    """Requirements past their due date and not met, most overdue first
    (training admins)."""
    require_people_access(viewer)
    today = _today(today)
    by_user = {profile.user_id: profile for profile in profiles}
    requirements = (
        requirements_with_targets()
        .active()
        .filter(due_on__lt=today, user_id__in=list(by_user))
    )
    if curriculum is not None:
        requirements = requirements.filter(curriculum=curriculum)
    rows = [
        OverdueRow(
            profile=by_user[state.requirement.user_id],
            state=state,
            days_overdue=state.days_overdue(today),
        )
        for state in requirement_states(list(requirements), today=today)
        if state.status == Status.OVERDUE
    ]
    return sorted(
        rows,
        key=lambda row: (
            -row.days_overdue,
            row.profile.staff_number or "",
            row.state.requirement.pk,
        ),
    )


@dataclass
class CertifiedRow:
    profile: StaffProfile
    certification: Certification


def certified_rows(
    *,
    viewer,
    profiles: QuerySet[StaffProfile],
    role: JobRole | None = None,
    today: datetime.date | None = None,
) -> list[CertifiedRow]:
    """Who holds a skill certification, for which role, since and until when
    (training admins)."""
    require_people_access(viewer)
    by_user = {profile.user_id: profile for profile in profiles}
    requirements = (
        requirements_with_targets()
        .active()
        .filter(curriculum__role__isnull=False, user_id__in=list(by_user))
    )
    if role is not None:
        requirements = requirements.filter(curriculum__role=role)
    certifications = certifications_from(
        requirement_states(list(requirements), today=_today(today))
    )
    return [
        CertifiedRow(
            profile=by_user[certification.user_id], certification=certification
        )
        for certification in certifications
    ]


@dataclass
class StaffTranscript:
    user: object
    profile: StaffProfile | None
    roles: list[JobRole]
    training: PersonTraining
    records: list[CompletionRecord] = field(default_factory=list)


def staff_transcript(
    *, viewer, user, today: datetime.date | None = None
) -> StaffTranscript:
    """Anyone's training and every ledger row of theirs (training admins)."""
    require_people_access(viewer)
    today = _today(today)
    profile = (
        StaffProfile.objects.filter(user=user)
        .select_related("division", "post")
        .first()
    )
    roles = list(
        JobRole.objects.filter(
            pk__in=RoleAssignment.objects.held_on(today)
            .filter(profile__user=user)
            .values("role_id")
        )
    )
    records = list(
        CompletionRecord.objects.filter(user=user).select_related(
            "lesson",
            "series",
            "external_training",
            "recorded_by",
            "evidence",
            "voids",
            "voided_by",
            "requirement",
        )
    )
    return StaffTranscript(
        user=user,
        profile=profile,
        roles=roles,
        training=person_training(user=user, today=today),
        records=records,
    )
