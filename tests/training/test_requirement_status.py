"""Statuses are derived from the ledger (and attempts), never typed in."""

import pytest
from django.contrib.auth.models import Group
from wagtail import hooks
from wagtail.models import PageViewRestriction

from quizzes.services import attempt_start, attempt_submit
from tests.factories import make_lesson
from tests.quizzes.conftest import make_checkpoint, right_answers, seeded, wrong_answers
from training.models import CompletionRecord
from training.requirements.due_dates import fiscal_year_period
from training.requirements.selectors import (
    TRAINING_PROGRESS_EVIDENCE,
    NextStep,
    Status,
    person_training,
    requirement_states,
)
from training.requirements.services import requirements_sync
from training.services import (
    completion_record_external,
    completion_record_void,
    requirement_waive,
)

from .conftest import (
    after_joining,
    after_role,
    days,
    make_curriculum,
    owed,
    person,
    read,
    sync,
    today,
)

pytestmark = pytest.mark.django_db


def status_of(requirement, **kwargs):
    return requirement_states([requirement], **kwargs)[0]


@pytest.fixture
def learner_owing_security(mandatory):
    learner = person("learner")
    sync()
    return learner


def security_requirement(user, series):
    return owed(user, series=series).get()


def test_nothing_done_before_the_due_date_is_not_started(security_series):
    make_curriculum(items=[{"series": security_series, **after_joining(30)}])
    newcomer = person("newcomer", since=today() - days(1))
    sync()

    state = status_of(security_requirement(newcomer, security_series))

    assert state.status == Status.NOT_STARTED
    assert state.next_step == NextStep.START
    assert state.next_page_id == security_series.test_lessons[0].pk


def test_reading_every_lesson_of_the_series_completes_it(
    learner_owing_security, security_series
):
    for lesson in security_series.test_lessons:
        read(lesson, learner_owing_security)

    state = status_of(security_requirement(learner_owing_security, security_series))

    assert state.status == Status.COMPLETED
    assert state.completed_on == today()
    assert (state.lessons_done, state.lessons_total) == (2, 2)


def test_part_of_a_series_is_in_progress_and_leads_to_the_next_lesson(
    security_series,
):
    make_curriculum(items=[{"series": security_series, **after_joining(30)}])
    newcomer = person("newcomer", since=today() - days(1))
    sync()
    read(security_series.test_lessons[0], newcomer)

    state = status_of(security_requirement(newcomer, security_series))

    assert state.status == Status.IN_PROGRESS
    assert state.next_step == NextStep.CONTINUE_READING
    assert state.next_page_id == security_series.test_lessons[1].pk


def test_past_the_due_date_unmet_is_overdue(learner_owing_security, security_series):
    requirement = security_requirement(learner_owing_security, security_series)

    state = status_of(requirement, today=requirement.due_on + days(3))

    assert state.status == Status.OVERDUE
    assert state.days_overdue(requirement.due_on + days(3)) == 3


def test_a_voided_completion_no_longer_counts(
    learner_owing_security, security_series, training_admin
):
    for lesson in security_series.test_lessons:
        read(lesson, learner_owing_security)
    record = CompletionRecord.objects.filter(user=learner_owing_security).first()
    completion_record_void(record=record, by=training_admin, reason="誤登録")

    state = status_of(security_requirement(learner_owing_security, security_series))

    assert not state.is_met


def test_a_waiver_makes_it_waived(
    learner_owing_security, security_series, training_admin
):
    requirement = security_requirement(learner_owing_security, security_series)
    requirement_waive(requirement=requirement, by=training_admin, reason="長期派遣中")

    state = status_of(requirement)

    assert state.status == Status.WAIVED
    assert state.waiver_reason == "長期派遣中"


def test_a_met_requirement_names_the_ledger_rows_that_meet_it(
    learner_owing_security, security_series, training_admin
):
    records = [
        read(lesson, learner_owing_security) for lesson in security_series.test_lessons
    ]
    requirement = security_requirement(learner_owing_security, security_series)
    assert status_of(requirement).evidence_ids == tuple(
        sorted(record.pk for record in records)
    )

    completion_record_void(record=records[0], by=training_admin, reason="誤登録")
    assert status_of(requirement).evidence_ids == ()

    waiver = requirement_waive(
        requirement=requirement, by=training_admin, reason="長期派遣中"
    )
    assert status_of(requirement).evidence_ids == (waiver.pk,)


def test_attendance_is_the_evidence_of_an_external_training(
    learner_owing_security, drill, training_admin
):
    attended = completion_record_external(
        user=learner_owing_security,
        external_training=drill,
        completed_on=today(),
        by=training_admin,
    )

    state = status_of(owed(learner_owing_security, external_training=drill).get())

    assert state.evidence_ids == (attended.pk,)


def test_a_lesson_with_a_checkpoint_needs_the_pass(pjmo_series):
    lesson = pjmo_series.test_lessons[0]
    checkpoint = make_checkpoint(lesson=lesson)
    make_curriculum(role_code="pjmo", items=[{"lesson": lesson, **after_role(30)}])
    pjmo = person("pjmo", roles=["general", "pjmo"], since=today() - days(1))
    sync()
    requirement = owed(pjmo).get()

    attempt = attempt_start(checkpoint=checkpoint, user=pjmo, rng=seeded(1))
    state = status_of(requirement)
    assert state.status == Status.IN_PROGRESS
    assert state.next_step == NextStep.CONTINUE_ATTEMPT
    assert state.next_attempt_id == attempt.pk

    attempt_submit(attempt_id=attempt.pk, user=pjmo, answers=wrong_answers(attempt))
    state = status_of(requirement)
    assert state.status == Status.IN_PROGRESS
    assert (state.next_step, state.next_anchor) == (NextStep.CHECKPOINT, "checkpoint")

    again = attempt_start(checkpoint=checkpoint, user=pjmo, rng=seeded(2))
    attempt_submit(attempt_id=again.pk, user=pjmo, answers=right_answers(again))
    assert status_of(requirement).status == Status.COMPLETED


def test_records_before_a_yearly_period_do_not_count(mandatory, security_series):
    learner = person("learner")
    sync()
    for lesson in security_series.test_lessons:
        read(lesson, learner)
    next_year = fiscal_year_period(today()).end + days(1)
    sync(today=next_year)

    state = status_of(security_requirement(learner, security_series), today=next_year)

    assert state.status == Status.NOT_STARTED


def test_an_external_training_is_met_by_attendance_in_its_period(
    learner_owing_security, drill, training_admin
):
    requirement = owed(learner_owing_security, external_training=drill).get()
    assert status_of(requirement).status != Status.COMPLETED

    completion_record_external(
        user=learner_owing_security,
        external_training=drill,
        completed_on=today(),
        by=training_admin,
    )

    state = status_of(requirement)
    assert state.status == Status.COMPLETED
    assert state.completed_on == today()


def test_a_lesson_the_person_may_not_see_is_not_required_of_them_in_a_series(
    learner_owing_security, security_series
):
    hidden = make_lesson(series=security_series, title="管理職向け")
    restriction = PageViewRestriction.objects.create(
        page=hidden, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name="編集者")])
    for lesson in security_series.test_lessons:
        read(lesson, learner_owing_security)

    state = status_of(security_requirement(learner_owing_security, security_series))

    assert state.status == Status.COMPLETED
    assert state.lessons_total == 2


def test_view_logging_can_say_a_lesson_is_begun(
    learner_owing_security, security_series
):
    requirement = security_requirement(learner_owing_security, security_series)
    first = security_series.test_lessons[0]

    def viewed(*, user_ids, lesson_ids):
        return {(learner_owing_security.pk, first.pk)}

    with hooks.register_temporarily(TRAINING_PROGRESS_EVIDENCE, viewed):
        state = status_of(requirement, today=requirement.due_on)

    assert state.status == Status.IN_PROGRESS


def test_statuses_take_a_fixed_number_of_queries(
    mandatory, security_series, django_assert_max_num_queries
):
    for number in range(3):
        person(f"a{number}")
    sync()
    few = list(owed_all())
    with django_assert_max_num_queries(20) as few_queries:
        requirement_states(few)
    for number in range(12):
        learner = person(f"b{number}")
        read(security_series.test_lessons[0], learner)
    sync()
    many = list(owed_all())
    assert len(many) > 3 * len(few)

    with django_assert_max_num_queries(len(few_queries.captured_queries)):
        requirement_states(many)


def owed_all():
    from training.models import Requirement

    return Requirement.objects.active()


def test_a_person_s_training_lists_what_is_owed_most_urgent_first(
    security_series, drill, pjmo_series
):
    make_curriculum(
        items=[
            {"series": security_series, **after_joining(400)},
            {"external_training": drill, **after_joining(30)},
        ]
    )
    make_curriculum(role_code="pjmo", items=[{"series": pjmo_series, **after_role(10)}])
    pjmo = person("pjmo", roles=["general", "pjmo"], since=today() - days(60))
    requirements_sync()
    read(pjmo_series.test_lessons[0], pjmo)

    training = person_training(user=pjmo)

    assert [state.status for state in training.owed] == [
        Status.OVERDUE,
        Status.NOT_STARTED,
    ]
    assert [state.requirement.series_id for state in training.met] == [pjmo_series.pk]
    assert [c.role.code for c in training.certifications] == ["pjmo"]
    [certification] = training.certifications
    assert certification.evidence_ids == training.met[0].evidence_ids != ()
