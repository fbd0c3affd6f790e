"""What the reminders of a day are: whose training to remind them of, and
which overdue items to report to each division's manager.

The rules (N = GOFUN_REMINDER_DAYS_BEFORE, M = GOFUN_ESCALATION_DAYS_OVERDUE):

- An active requirement not yet met (未着手, 受講中 or 期限超過) is to be
  reminded N days before it is due, on the day it is due, then weekly while
  it is overdue. What decides is the log: a requirement is due a reminder
  when no mail the log records as *sent* has named it since the day N days
  before it is due (while it is not yet due), since its due day (once it
  is due), or in the last 7 days (while it stays overdue). So a day the
  command did not run, a mail that failed or a requirement made late (a role
  gained this week) is caught up by the next run.
- A person with at least one requirement due a reminder gets one mail
  naming every requirement of theirs not yet met that is overdue or due
  within N days (a digest of all their items), and each counts as reminded
  that day. Their overdue items so keep one weekly rhythm, rather than one
  each by its own due date.
- Once a requirement is M days overdue it is reported to the manager
  (課室長) of the person's division, once: the first mail the log records as
  sent with it is its escalation. A manager's digest lists every item of
  their people M or more days overdue, marking those reported for the first
  time, and goes out only when there is at least one such. People whose
  account is inactive (who have left, and the demo's simulated staff) are
  not reported: nobody can ask them to act. A manager is not reported their
  own items; they are reminded of them as anyone is.
- Each person gets at most one mail a day, holding both parts.

Statuses come from training's selectors (derived from the ledger), titles
are shown only where the reader may see the lesson (the one visibility
rule), as マイ研修 does.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from learning_series.visibility import page_ids_visible_to
from organisation.models import StaffProfile
from training.models import Requirement
from training.requirements.selectors import (
    RequirementState,
    Status,
    requirement_states,
    requirements_with_targets,
)

from .models import ReminderItem, ReminderMail

WEEK = 7
UNMET = frozenset({Status.NOT_STARTED, Status.IN_PROGRESS, Status.OVERDUE})
NOT_OPEN = _("A lesson not open to you")


def days_before() -> int:
    return int(settings.GOFUN_REMINDER_DAYS_BEFORE)


def escalation_days() -> int:
    return int(settings.GOFUN_ESCALATION_DAYS_OVERDUE)


def reminder_due(
    *,
    due_on: datetime.date,
    today: datetime.date,
    before: int,
    last_reminded: datetime.date | None,
) -> bool:
    """Whether a requirement due on `due_on` and last reminded on
    `last_reminded` (None: never) is to be reminded on `today`: `before`
    days ahead, on the day, then every week while it is overdue."""
    if today < due_on:
        start = due_on - datetime.timedelta(days=before)
        return (
            before > 0
            and today >= start
            and (last_reminded is None or last_reminded < start)
        )
    return (
        last_reminded is None
        or last_reminded < due_on
        or (today - last_reminded).days >= WEEK
    )


@dataclass(frozen=True)
class Line:
    """One requirement as a mail shows it."""

    requirement: Requirement
    title: str
    curriculum: str
    status: str
    status_label: str
    due_on: datetime.date
    days_overdue: int
    days_left: int


@dataclass(frozen=True)
class TeamLine(Line):
    """One of a manager's people's overdue items."""

    person_name: str = ""
    staff_number: str = ""
    division: str = ""
    first_escalation: bool = False


@dataclass
class Digest:
    """Everything one person is to receive today, in one mail."""

    recipient: object
    own: list[Line] = field(default_factory=list)
    team: list[TeamLine] = field(default_factory=list)

    @property
    def escalates(self) -> bool:
        return any(line.first_escalation for line in self.team)

    @property
    def due(self) -> bool:
        return bool(self.own) or self.escalates

    @property
    def divisions(self) -> list[str]:
        return sorted({line.division for line in self.team})


class Skip:
    """Why a person due a mail gets none from a run."""

    INACTIVE = "inactive"
    NO_ADDRESS = "no_address"
    ALREADY_SENT = "already_sent"
    FAILED = "failed"


@dataclass
class ReminderPlan:
    today: datetime.date
    digests: list[Digest]

    def skip_reason(self, digest: Digest) -> str | None:
        """Why this digest cannot be mailed at all, or None."""
        if not digest.recipient.is_active:
            return Skip.INACTIVE
        if not (digest.recipient.email or "").strip():
            return Skip.NO_ADDRESS
        return None


def _title(state: RequirementState, *, visible: bool) -> str:
    if not visible:
        return str(NOT_OPEN)
    target = state.requirement.target
    return str(getattr(target, "title", None) or target or "")


def _line(state: RequirementState, *, today: datetime.date, visible: bool) -> dict:
    requirement = state.requirement
    return {
        "requirement": requirement,
        "title": _title(state, visible=visible),
        "curriculum": requirement.curriculum.name,
        "status": state.status,
        "status_label": state.status_label,
        "due_on": requirement.due_on,
        "days_overdue": max(0, (today - requirement.due_on).days),
        "days_left": max(0, (requirement.due_on - today).days),
    }


def _sent_items(kind: str, requirement_ids, *, today: datetime.date):
    """The log's items of this kind for these requirements, in mails sent
    up to `today` (a mail left "sending" or "failed" delivered nothing)."""
    return ReminderItem.objects.filter(
        kind=kind,
        requirement_id__in=requirement_ids,
        mail__state=ReminderMail.State.SENT,
        mail__day__lte=today,
    )


def _last_reminded(requirement_ids, *, today) -> dict[int, datetime.date]:
    return dict(
        _sent_items(ReminderItem.Kind.REMINDER, requirement_ids, today=today)
        .values("requirement_id")
        .annotate(last=Max("mail__day"))
        .values_list("requirement_id", "last")
    )


def _escalated(requirement_ids, *, today) -> set[int]:
    return set(
        _sent_items(
            ReminderItem.Kind.ESCALATION, requirement_ids, today=today
        ).values_list("requirement_id", flat=True)
    )


def _page_id(requirement: Requirement) -> int | None:
    return requirement.lesson_id or requirement.series_id


def reminders_due(*, today: datetime.date) -> ReminderPlan:
    """Every digest due on `today` (see the module docstring), in a fixed
    number of queries plus one visibility check per manager. Reads only."""
    before, escalate_after = days_before(), escalation_days()
    requirements = list(
        requirements_with_targets()
        .select_related("user")
        .filter(
            lapsed_on__isnull=True,
            started_on__lte=today,
            due_on__lte=today + datetime.timedelta(days=before),
        )
        .order_by("due_on", "pk")
    )
    states = [
        state
        for state in requirement_states(requirements, today=today)
        if state.status in UNMET
    ]
    ids = [state.requirement.pk for state in states]
    last_reminded = _last_reminded(ids, today=today)
    escalated = _escalated(ids, today=today)

    digests: dict[int, Digest] = {}

    def digest_for(user) -> Digest:
        if user.pk not in digests:
            digests[user.pk] = Digest(recipient=user)
        return digests[user.pk]

    overdue_for_managers: list[RequirementState] = []
    reminded_people: set[int] = set()
    for state in states:
        requirement = state.requirement
        if reminder_due(
            due_on=requirement.due_on,
            today=today,
            before=before,
            last_reminded=last_reminded.get(requirement.pk),
        ):
            reminded_people.add(requirement.user_id)
    for state in states:
        requirement = state.requirement
        if requirement.user_id in reminded_people:
            digest_for(requirement.user).own.append(
                Line(**_line(state, today=today, visible=state.target_visible))
            )
        if (
            requirement.user.is_active
            and (today - requirement.due_on).days >= escalate_after
        ):
            overdue_for_managers.append(state)

    if overdue_for_managers:
        _add_escalations(
            overdue_for_managers,
            today=today,
            escalated=escalated,
            digest_for=digest_for,
        )
    due = [digest for digest in digests.values() if digest.due]
    for digest in due:
        if not digest.escalates:
            digest.team = []
    due.sort(key=lambda digest: digest.recipient.pk)
    return ReminderPlan(today=today, digests=due)


def _add_escalations(states, *, today, escalated, digest_for) -> None:
    profiles = {
        profile.user_id: profile
        for profile in StaffProfile.objects.filter(
            user_id__in={state.requirement.user_id for state in states}
        ).select_related("division__manager")
    }
    by_manager: dict[int, list] = defaultdict(list)
    managers = {}
    for state in states:
        profile = profiles.get(state.requirement.user_id)
        manager = profile.division.manager if profile else None
        if manager is None or manager.pk == state.requirement.user_id:
            continue
        managers[manager.pk] = manager
        by_manager[manager.pk].append((state, profile))
    for manager_id, entries in by_manager.items():
        manager = managers[manager_id]
        page_ids = {_page_id(state.requirement) for state, _ in entries} - {None}
        visible = page_ids_visible_to(page_ids=page_ids, user=manager)
        digest = digest_for(manager)
        for state, profile in sorted(
            entries,
            key=lambda entry: (
                entry[1].division.name,
                entry[1].staff_number or "",
                entry[0].requirement.due_on,
                entry[0].requirement.pk,
            ),
        ):
            requirement = state.requirement
            page_id = _page_id(requirement)
            person = requirement.user
            digest.team.append(
                TeamLine(
                    **_line(
                        state,
                        today=today,
                        visible=page_id is None or page_id in visible,
                    ),
                    person_name=person.get_full_name() or person.get_username(),
                    staff_number=profile.staff_number or "",
                    division=profile.division.name,
                    first_escalation=requirement.pk not in escalated,
                )
            )
