"""Reads of requirements: each one's status, derived from the ledger; one
person's training; skill certifications.

Statuses are never stored (see training.requirements). For a list of
requirements, `requirement_states` reads everything it needs in a fixed
number of queries, however many people and items: the ledger's standing
rows, material changes, checkpoints and open or failed attempts, the lessons
of each series and what each person may see of them (the one visibility
rule, asked once per distinct set of groups).

What counts:
- a lesson with a published checkpoint is met by passing it; one without,
  by reading it to the end (or a pass, had it a checkpoint once); after a
  material change only records of the changed revision or later count;
- a series is met when every lesson of it the person may see is met, and
  its own checkpoint passed if it has one;
- an external training or drill is met by attendance recorded on or after
  the start of the requirement's period;
- in a recurring period, only records made on or after its first day count;
- a standing waiver of the requirement makes it 免除 whatever else.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import models
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.models import Page

from cms import cache_versions
from learning_series.models import LessonPage
from learning_series.visibility import SessionLike, page_ids_visible_to
from quizzes.models import Attempt, Checkpoint

from ..models import CompletionRecord, Curriculum, LessonMaterialChange, Requirement

# Hook: fn(*, user_ids: set[int], lesson_ids: set[int]) returning the
# (user_id, lesson_id) pairs of lessons the person has begun (e.g. viewed).
# View logging registers one; without any, 受講中 comes from checkpoint
# attempts and partly completed series alone. What a hook reads shows on
# pages kept per person (cms.page_caching): whatever writes it must bump the
# person's version (cms.cache_versions.person), as the ledger's rows do.
TRAINING_PROGRESS_EVIDENCE = "gofun_training_progress_evidence"


class Status(models.TextChoices):
    # With a context: "In progress" is also an attempt's state (受験中).
    NOT_STARTED = "not_started", pgettext_lazy("training status", "Not started")
    IN_PROGRESS = "in_progress", pgettext_lazy("training status", "In progress")
    COMPLETED = "completed", pgettext_lazy("training status", "Completed")
    OVERDUE = "overdue", pgettext_lazy("training status", "Overdue")
    WAIVED = "waived", pgettext_lazy("training status", "Waived")
    LAPSED = "lapsed", pgettext_lazy("training status", "No longer required")


MET = frozenset({Status.COMPLETED, Status.WAIVED})
# What a person owes, most urgent first.
URGENCY = {Status.OVERDUE: 0, Status.IN_PROGRESS: 1, Status.NOT_STARTED: 2}


class NextStep(models.TextChoices):
    START = "start", _("Start")
    CONTINUE_READING = "continue_reading", _("Continue reading")
    CONTINUE_ATTEMPT = "continue_attempt", _("Continue the checkpoint")
    CHECKPOINT = "checkpoint", _("Take the checkpoint")


@dataclass
class RequirementState:
    """A requirement with its derived status, for one person."""

    requirement: Requirement
    status: str
    completed_at: datetime.datetime | None = None
    completed_on: datetime.date | None = None
    waiver_id: int | None = None
    waiver_reason: str = ""
    # The standing ledger rows that meet the requirement (the waiver's for
    # 免除): what a certificate of it rests on.
    evidence_ids: tuple[int, ...] = ()
    lessons_done: int = 0
    lessons_total: int = 0
    target_visible: bool = True
    # Where the person continues: a page (with an anchor) or an attempt.
    next_step: str = ""
    next_page_id: int | None = None
    next_anchor: str = ""
    next_attempt_id: int | None = None

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)

    @property
    def is_met(self) -> bool:
        return self.status in MET

    @property
    def due_on(self) -> datetime.date:
        return self.requirement.due_on

    def days_overdue(self, today: datetime.date) -> int:
        if self.status != Status.OVERDUE:
            return 0
        return (today - self.requirement.due_on).days


@dataclass
class _Facts:
    """Everything the statuses of a list of requirements are derived from."""

    visible: dict[int, set[int]] = field(default_factory=dict)
    series_lessons: dict[int, list[int]] = field(default_factory=dict)
    lesson_checkpoint: dict[int, int] = field(default_factory=dict)
    series_checkpoint: dict[int, int] = field(default_factory=dict)
    cutoff: dict[int, int] = field(default_factory=dict)
    lesson_rows: dict = field(default_factory=lambda: defaultdict(list))
    series_passes: dict = field(default_factory=lambda: defaultdict(list))
    external_rows: dict = field(default_factory=lambda: defaultdict(list))
    waivers: dict = field(default_factory=dict)
    open_attempts: dict = field(default_factory=dict)
    tried: dict = field(default_factory=lambda: defaultdict(list))
    begun: set = field(default_factory=set)


def _visible_page_ids(
    *, user_ids: set[int], page_ids: set[int], session: SessionLike, person=None
) -> dict[int, set[int]]:
    """The pages among page_ids each person may see, asking the visibility
    rule once per distinct (superuser, groups) — what it depends on. With
    `person` (the one person asked about), their own user object is asked."""
    if person is not None and user_ids == {person.pk}:
        return {
            person.pk: page_ids_visible_to(
                page_ids=page_ids, user=person, session=session
            )
        }
    User = get_user_model()
    users = {user.pk: user for user in User.objects.filter(pk__in=user_ids)}
    groups: dict[int, set[int]] = defaultdict(set)
    for user_id, group_id in User.groups.through.objects.filter(
        user_id__in=user_ids
    ).values_list("user_id", "group_id"):
        groups[user_id].add(group_id)
    answers: dict[tuple, set[int]] = {}
    visible = {}
    for user_id, user in users.items():
        key = (user.is_superuser, frozenset(groups[user_id]))
        if key not in answers:
            answers[key] = page_ids_visible_to(
                page_ids=page_ids, user=user, session=session
            )
        visible[user_id] = answers[key]
    return visible


def _shared_facts(*, lesson_ids: set[int], series_ids: set[int]) -> dict:
    """What is the same for everyone about these lessons and series: each
    series' lessons, their live checkpoints and material-change cut-offs.
    Cached until the tree (a lesson added, moved, published as a material
    change: training.signal_handlers) or a checkpoint changes."""
    key = "gofun:training:shared-facts:" + cache_versions.digest(
        cache_versions.current_many(cache_versions.TREE, cache_versions.CHECKPOINTS),
        "l",
        *sorted(lesson_ids),
        "s",
        *sorted(series_ids),
    )
    return cache.get_or_set(
        key,
        lambda: _read_shared_facts(
            lesson_ids=set(lesson_ids), series_ids=set(series_ids)
        ),
        timeout=cache_versions.KEEP_SECONDS,
    )


def _read_shared_facts(*, lesson_ids: set[int], series_ids: set[int]) -> dict:
    series_lessons: dict[int, list[int]] = {}
    if series_ids:
        series_paths = list(
            Page.objects.filter(pk__in=series_ids).values_list("pk", "path", "depth")
        )
        children = Q()
        for _pk, path, depth in series_paths:
            children |= Q(path__startswith=path, depth=depth + 1)
        lessons_in_series = list(
            LessonPage.objects.filter(children)
            .order_by("path")
            .values_list("pk", "path")
        )
        for series_id, path, _depth in series_paths:
            series_lessons[series_id] = [
                pk
                for pk, lesson_path in lessons_in_series
                if lesson_path.startswith(path)
            ]
            lesson_ids.update(series_lessons[series_id])
    lesson_checkpoint: dict[int, int] = {}
    series_checkpoint: dict[int, int] = {}
    for pk, lesson_id, series_id in (
        Checkpoint.objects.filter(live=True, quiz__live=True)
        .filter(Q(lesson_id__in=lesson_ids) | Q(series_id__in=series_ids))
        .values_list("pk", "lesson_id", "series_id")
    ):
        if lesson_id:
            lesson_checkpoint[lesson_id] = pk
        else:
            series_checkpoint[series_id] = pk
    cutoff = dict(
        LessonMaterialChange.objects.filter(lesson_id__in=lesson_ids)
        .values("lesson_id")
        .annotate(cutoff=Max("revision_id"))
        .values_list("lesson_id", "cutoff")
    )
    return {
        "series_lessons": series_lessons,
        "lesson_checkpoint": lesson_checkpoint,
        "series_checkpoint": series_checkpoint,
        "cutoff": cutoff,
    }


def _gather(
    requirements: Sequence[Requirement], *, session: SessionLike, person=None
) -> _Facts:
    facts = _Facts()
    user_ids = {requirement.user_id for requirement in requirements}
    lesson_ids = {r.lesson_id for r in requirements if r.lesson_id}
    series_ids = {r.series_id for r in requirements if r.series_id}
    external_ids = {
        r.external_training_id for r in requirements if r.external_training_id
    }
    shared = _shared_facts(lesson_ids=lesson_ids, series_ids=series_ids)
    facts.series_lessons = shared["series_lessons"]
    for lessons in facts.series_lessons.values():
        lesson_ids.update(lessons)
    facts.visible = _visible_page_ids(
        user_ids=user_ids,
        page_ids=lesson_ids | series_ids,
        session=session,
        person=person,
    )
    facts.lesson_checkpoint = shared["lesson_checkpoint"]
    facts.series_checkpoint = shared["series_checkpoint"]
    facts.cutoff = shared["cutoff"]
    Kind = CompletionRecord.Kind
    rows = (
        CompletionRecord.objects.standing()
        .filter(user_id__in=user_ids)
        .filter(
            Q(lesson_id__in=lesson_ids, kind__in=[Kind.QUIZ_PASSED, Kind.READ_TO_END])
            | Q(series_id__in=series_ids, lesson__isnull=True, kind=Kind.QUIZ_PASSED)
            | Q(external_training_id__in=external_ids, kind=Kind.EXTERNAL)
            | Q(
                requirement_id__in=[r.pk for r in requirements],
                kind=Kind.WAIVED,
            )
        )
        .values_list(
            "pk",
            "user_id",
            "kind",
            "lesson_id",
            "series_id",
            "external_training_id",
            "requirement_id",
            "page_revision_id",
            "recorded_at",
            "completed_on",
            "reason",
        )
    )
    for (
        pk,
        user_id,
        kind,
        lesson_id,
        series_id,
        external_id,
        requirement_id,
        revision_id,
        recorded_at,
        completed_on,
        reason,
    ) in rows:
        if kind == Kind.WAIVED:
            facts.waivers[requirement_id] = (pk, reason, recorded_at)
        elif kind == Kind.EXTERNAL:
            facts.external_rows[(user_id, external_id)].append((completed_on, pk))
        elif lesson_id:
            facts.lesson_rows[(user_id, lesson_id)].append(
                (kind, revision_id, recorded_at, pk)
            )
        else:
            facts.series_passes[(user_id, series_id)].append((recorded_at, pk))
    checkpoints = set(facts.lesson_checkpoint.values()) | set(
        facts.series_checkpoint.values()
    )
    now = timezone.now()
    for pk, user_id, checkpoint_id, state, started_at, deadline in (
        Attempt.objects.filter(user_id__in=user_ids, checkpoint_id__in=checkpoints)
        .filter(
            Q(state=Attempt.State.OPEN) | Q(state=Attempt.State.SUBMITTED, passed=False)
        )
        .values_list(
            "pk", "user_id", "checkpoint_id", "state", "started_at", "deadline"
        )
    ):
        if state == Attempt.State.OPEN and (deadline is None or deadline >= now):
            facts.open_attempts[(user_id, checkpoint_id)] = pk
        facts.tried[(user_id, checkpoint_id)].append(timezone.localdate(started_at))
    for hook in hooks.get_hooks(TRAINING_PROGRESS_EVIDENCE):
        facts.begun.update(hook(user_ids=user_ids, lesson_ids=lesson_ids) or ())
    return facts


def _counts(day: datetime.date, counts_from: datetime.date | None) -> bool:
    return counts_from is None or day >= counts_from


class _Person:
    """Derives one person's completions from the gathered facts."""

    def __init__(self, facts: _Facts, user_id: int):
        self.facts = facts
        self.user_id = user_id
        self.visible = facts.visible.get(user_id, set())

    def lesson_completion(
        self, lesson_id: int, counts_from
    ) -> tuple[datetime.datetime, int] | None:
        """When the lesson was first met, and the ledger row that met it."""
        needs_pass = lesson_id in self.facts.lesson_checkpoint
        cutoff = self.facts.cutoff.get(lesson_id)
        counted = [
            (recorded_at, pk)
            for kind, revision_id, recorded_at, pk in self.facts.lesson_rows.get(
                (self.user_id, lesson_id), ()
            )
            if (not needs_pass or kind == CompletionRecord.Kind.QUIZ_PASSED)
            and _counts(timezone.localdate(recorded_at), counts_from)
            and (cutoff is None or (revision_id is not None and revision_id >= cutoff))
        ]
        return min(counted) if counted else None

    def lesson_begun(self, lesson_id: int, counts_from) -> bool:
        checkpoint = self.facts.lesson_checkpoint.get(lesson_id)
        if checkpoint and self.checkpoint_tried(checkpoint, counts_from):
            return True
        if (self.user_id, lesson_id) in self.facts.begun:
            return True
        cutoff = self.facts.cutoff.get(lesson_id)
        # Read to the end where a pass is needed: the checkpoint is next.
        return any(
            _counts(timezone.localdate(recorded_at), counts_from)
            and (cutoff is None or (revision_id or 0) >= cutoff)
            for _kind, revision_id, recorded_at, _pk in self.facts.lesson_rows.get(
                (self.user_id, lesson_id), ()
            )
        )

    def checkpoint_tried(self, checkpoint_id: int, counts_from) -> bool:
        if (self.user_id, checkpoint_id) in self.facts.open_attempts:
            return True
        return any(
            _counts(day, counts_from)
            for day in self.facts.tried.get((self.user_id, checkpoint_id), ())
        )

    def lesson_next_step(self, lesson_id: int, counts_from, *, begun_series: bool):
        """(step, page id, anchor, attempt id) for a lesson not yet met."""
        checkpoint = self.facts.lesson_checkpoint.get(lesson_id)
        attempt = self.facts.open_attempts.get((self.user_id, checkpoint))
        if checkpoint and attempt:
            return NextStep.CONTINUE_ATTEMPT, None, "", attempt
        if checkpoint and self.lesson_begun(lesson_id, counts_from):
            return NextStep.CHECKPOINT, lesson_id, "checkpoint", None
        step = NextStep.CONTINUE_READING if begun_series else NextStep.START
        return step, lesson_id, "", None


def _state_of(
    requirement: Requirement, facts: _Facts, *, today: datetime.date
) -> RequirementState:
    person = _Person(facts, requirement.user_id)
    counts_from = requirement.counts_from
    state = RequirementState(requirement=requirement, status=Status.NOT_STARTED)
    begun = False
    completed_at = None
    completed_on = None
    evidence: list[int] = []
    step = ("", None, "", None)
    if requirement.lesson_id:
        lesson_id = requirement.lesson_id
        state.target_visible = lesson_id in person.visible
        state.lessons_total = 1
        completion = person.lesson_completion(lesson_id, counts_from)
        if completion:
            completed_at, record_id = completion
            evidence = [record_id]
            state.lessons_done = 1
        else:
            begun = person.lesson_begun(lesson_id, counts_from)
            if state.target_visible:
                step = person.lesson_next_step(
                    lesson_id, counts_from, begun_series=False
                )
    elif requirement.series_id:
        series_id = requirement.series_id
        state.target_visible = series_id in person.visible
        lessons = [
            lesson_id
            for lesson_id in facts.series_lessons.get(series_id, [])
            if lesson_id in person.visible
        ]
        state.lessons_total = len(lessons)
        times = []
        pending = None
        for lesson_id in lessons:
            completion = person.lesson_completion(lesson_id, counts_from)
            done = completion[0] if completion else None
            if completion:
                times.append(done)
                evidence.append(completion[1])
            elif pending is None:
                pending = lesson_id
            if done or person.lesson_begun(lesson_id, counts_from):
                begun = True
        state.lessons_done = len(times)
        checkpoint = facts.series_checkpoint.get(series_id)
        passed = None
        if checkpoint:
            passes = [
                (at, pk)
                for at, pk in facts.series_passes.get(
                    (requirement.user_id, series_id), ()
                )
                if _counts(timezone.localdate(at), counts_from)
            ]
            passed, pass_id = min(passes) if passes else (None, None)
            if pass_id is not None:
                evidence.append(pass_id)
            begun = begun or person.checkpoint_tried(checkpoint, counts_from)
        met = (lessons or checkpoint) and pending is None
        if met and checkpoint and passed is None:
            met = False
        if met:
            completed_at = max([*times, *([passed] if passed else [])])
        elif state.target_visible:
            if pending is not None:
                step = person.lesson_next_step(pending, counts_from, begun_series=begun)
            elif checkpoint:
                attempt = facts.open_attempts.get((requirement.user_id, checkpoint))
                step = (
                    (NextStep.CONTINUE_ATTEMPT, None, "", attempt)
                    if attempt
                    else (NextStep.CHECKPOINT, series_id, "checkpoint", None)
                )
    else:
        attended = [
            (day, pk)
            for day, pk in facts.external_rows.get(
                (requirement.user_id, requirement.external_training_id), ()
            )
            if _counts(day, counts_from)
        ]
        if attended:
            completed_on, record_id = min(attended)
            evidence = [record_id]
    if completed_at is not None:
        completed_on = timezone.localdate(completed_at)
    waiver = facts.waivers.get(requirement.pk)
    if waiver is not None:
        state.status = Status.WAIVED
        state.waiver_id, state.waiver_reason, waived_at = waiver
        state.completed_on = timezone.localdate(waived_at)
        state.evidence_ids = (state.waiver_id,)
    elif completed_on is not None:
        state.status = Status.COMPLETED
        state.completed_at = completed_at
        state.completed_on = completed_on
        state.evidence_ids = tuple(sorted(evidence))
    elif not requirement.is_active:
        state.status = Status.LAPSED
    elif today > requirement.due_on:
        state.status = Status.OVERDUE
    elif begun:
        state.status = Status.IN_PROGRESS
    if not state.is_met and requirement.is_active:
        (
            state.next_step,
            state.next_page_id,
            state.next_anchor,
            state.next_attempt_id,
        ) = step
    return state


def requirement_states(
    requirements: Sequence[Requirement],
    *,
    today: datetime.date | None = None,
    session: SessionLike = None,
    person=None,
) -> list[RequirementState]:
    """The status of each requirement, in the order given.

    `session` is the session of the person whose requirements these are
    (for pages behind a shared password they have entered); leave it out
    for anyone else's. `person`, when every requirement is theirs, is that
    person's user object (saves reading it again).
    """
    requirements = list(requirements)
    if not requirements:
        return []
    today = today or timezone.localdate()
    facts = _gather(requirements, session=session, person=person)
    return [_state_of(requirement, facts, today=today) for requirement in requirements]


def requirements_with_targets():
    return Requirement.objects.select_related(
        "curriculum",
        "curriculum__role",
        "lesson",
        "series",
        "external_training",
        "material_change",
    )


@dataclass(frozen=True)
class Certification:
    """Skill certification (スキル認定): every item of a role's curriculum met."""

    user_id: int
    curriculum: Curriculum
    certified_on: datetime.date
    valid_until: datetime.date | None
    # The standing ledger rows (completions and waivers) it rests on.
    evidence_ids: tuple[int, ...] = ()

    @property
    def role(self):
        return self.curriculum.role


def certifications_from(states: Sequence[RequirementState]) -> list[Certification]:
    """The certifications these states earn: a person holds one for a role
    when every active requirement of the role's curriculum is met. It dates
    from the last item met and, where items recur, holds until the end of
    the earliest period among them (after which they are owed again)."""
    grouped: dict[tuple[int, int], list[RequirementState]] = defaultdict(list)
    for state in states:
        requirement = state.requirement
        if requirement.is_active and requirement.curriculum.role_id is not None:
            grouped[(requirement.user_id, requirement.curriculum_id)].append(state)
    certifications = []
    for (user_id, _curriculum_id), group in grouped.items():
        if not all(state.is_met for state in group):
            continue
        ends = [s.requirement.period_end for s in group if s.requirement.period_end]
        certifications.append(
            Certification(
                user_id=user_id,
                curriculum=group[0].requirement.curriculum,
                certified_on=max(state.completed_on for state in group),
                valid_until=min(ends) if ends else None,
                evidence_ids=tuple(
                    sorted({pk for state in group for pk in state.evidence_ids})
                ),
            )
        )
    return sorted(
        certifications,
        key=lambda c: (c.user_id, c.curriculum.role.sort_order, c.curriculum.name),
    )


@dataclass
class PersonTraining:
    """One person's training: what they owe, what they have met, what has
    lapsed, and their certifications."""

    owed: list[RequirementState]
    met: list[RequirementState]
    lapsed: list[RequirementState]
    certifications: list[Certification]

    @property
    def current(self) -> list[RequirementState]:
        return self.owed + self.met


def person_training(
    *, user, session: SessionLike = None, today: datetime.date | None = None
) -> PersonTraining:
    """A person's requirements with their statuses, most urgent first, and
    the certifications they hold. Callers decide who may ask (see
    training.permissions): the person, or a training admin."""
    today = today or timezone.localdate()
    requirements = requirements_with_targets().filter(user_id=user.pk)
    states = requirement_states(
        list(requirements), today=today, session=session, person=user
    )
    active = [state for state in states if state.requirement.is_active]
    owed = sorted(
        (state for state in active if not state.is_met),
        key=lambda s: (
            URGENCY.get(s.status, 9),
            s.requirement.due_on,
            s.requirement.pk,
        ),
    )
    met = sorted(
        (state for state in active if state.is_met),
        key=lambda s: (s.completed_on, s.requirement.pk),
        reverse=True,
    )
    lapsed = sorted(
        (state for state in states if not state.requirement.is_active),
        key=lambda s: (s.requirement.lapsed_on, s.requirement.pk),
        reverse=True,
    )
    return PersonTraining(
        owed=owed,
        met=met,
        lapsed=lapsed,
        certifications=certifications_from(active),
    )
