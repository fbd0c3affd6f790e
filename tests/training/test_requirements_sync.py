"""Requirements follow people: roles gained and given up, curricula published
and changed, new fiscal years — computed by the service, never by hand."""

import pytest
from django.urls import reverse

from organisation.models import RoleAssignment
from organisation.services import staff_role_assign, staff_role_end
from tests.organisation.test_admin import role_assignments_form
from training.models import CompletionRecord, Curriculum, Requirement
from training.requirements.due_dates import fiscal_year_period

from .conftest import (
    EVERY_YEAR,
    after_joining,
    after_role,
    days,
    make_curriculum,
    owed,
    person,
    read,
    role,
    sync,
    today,
)

pytestmark = pytest.mark.django_db


def test_gaining_a_role_creates_its_requirements_due_from_that_day(
    pjmo_curriculum, django_capture_on_commit_callbacks
):
    learner = person("learner")
    started = today() - days(6)

    with django_capture_on_commit_callbacks(execute=True):
        staff_role_assign(
            profile=learner.staff_profile, role=role("pjmo"), started_on=started
        )

    requirements = owed(learner, curriculum=pjmo_curriculum).order_by("due_on")
    assert [r.due_on for r in requirements] == [started + days(30), started + days(90)]
    assert all(r.started_on == started for r in requirements)


def test_the_curriculum_for_all_staff_applies_to_everyone_with_a_profile(mandatory):
    present = person("present")
    away = person("away", user__is_active=False)

    sync()

    assert owed(present).count() == 2
    assert owed(away).count() == 2


def test_a_draft_curriculum_creates_nothing_until_it_is_published(
    pjmo_series, django_capture_on_commit_callbacks
):
    pjmo = person("pjmo", roles=["general", "pjmo"])
    curriculum = make_curriculum(
        role_code="pjmo",
        items=[{"series": pjmo_series, **after_role(30)}],
        publish=False,
    )
    sync()
    assert not owed(pjmo).exists()

    with django_capture_on_commit_callbacks(execute=True):
        curriculum.get_latest_revision().publish()

    assert owed(pjmo, curriculum=curriculum).count() == 1


def test_ending_a_role_lapses_its_open_requirements_and_keeps_the_records(
    pjmo_curriculum, pjmo_series, django_capture_on_commit_callbacks
):
    pjmo = person("pjmo", roles=["general", "pjmo"])
    sync()
    read(pjmo_series.test_lessons[0], pjmo)

    with django_capture_on_commit_callbacks(execute=True):
        staff_role_end(profile=pjmo.staff_profile, role=role("pjmo"), ended_on=today())

    assert not owed(pjmo).exists()
    lapsed = Requirement.objects.filter(user=pjmo)
    assert {r.lapse_reason for r in lapsed} == {Requirement.LapseReason.ROLE_ENDED}
    assert {r.lapsed_on for r in lapsed} == {today()}
    assert CompletionRecord.objects.filter(user=pjmo).count() == 1


def test_removing_a_role_in_the_admin_lapses_its_requirements(
    client, training_admin, pjmo_curriculum, django_capture_on_commit_callbacks
):
    pjmo = person("pjmo", roles=["general", "pjmo"])
    sync()
    profile = pjmo.staff_profile
    general, pjmo_role = (
        profile.role_assignments.get(role__code=code) for code in ("general", "pjmo")
    )
    client.force_login(training_admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse(
                "wagtailsnippets_organisation_staffprofile:edit", args=[profile.pk]
            ),
            {
                "user": pjmo.pk,
                "staff_number": profile.staff_number,
                "joined_on": profile.joined_on.isoformat(),
                "division": profile.division_id,
                "post": profile.post_id,
                **role_assignments_form(
                    [
                        (
                            general.role_id,
                            general.started_on.isoformat(),
                            "",
                            general.pk,
                        ),
                        (
                            pjmo_role.role_id,
                            pjmo_role.started_on.isoformat(),
                            today().isoformat(),
                            pjmo_role.pk,
                        ),
                    ],
                    initial=2,
                ),
            },
        )

    assert response.status_code == 302
    assert not owed(pjmo, curriculum=pjmo_curriculum).exists()


def test_a_role_regained_later_is_owed_again_from_the_new_start(pjmo_curriculum):
    pjmo = person("pjmo", roles=["general"])
    first = RoleAssignment.objects.create(
        profile=pjmo.staff_profile,
        role=role("pjmo"),
        started_on=today() - days(400),
        ended_on=today() - days(300),
    )
    sync(today=first.started_on + days(1))
    sync()
    assert not owed(pjmo).exists()

    again = today() - days(3)
    staff_role_assign(profile=pjmo.staff_profile, role=role("pjmo"), started_on=again)
    sync()

    assert {r.due_on for r in owed(pjmo)} == {again + days(30), again + days(90)}
    assert Requirement.objects.filter(user=pjmo, lapsed_on__isnull=False).count() == 2


def test_the_sync_is_idempotent(mandatory, pjmo_curriculum):
    person("a")
    person("b", roles=["general", "pjmo"])
    sync()
    before = list(Requirement.objects.values_list("pk", "due_on", "lapsed_on"))

    result = sync()

    assert (result.created, result.updated, result.lapsed) == (0, 0, 0)
    assert list(Requirement.objects.values_list("pk", "due_on", "lapsed_on")) == before


def test_an_item_taken_out_of_the_curriculum_lapses_as_withdrawn(
    pjmo_curriculum, drill, django_capture_on_commit_callbacks
):
    pjmo = person("pjmo", roles=["general", "pjmo"])
    sync()
    draft = pjmo_curriculum.get_latest_revision_as_object()
    draft.items = [
        item for item in draft.items.all() if item.external_training_id is None
    ]

    with django_capture_on_commit_callbacks(execute=True):
        draft.save_revision().publish()

    withdrawn = Requirement.objects.get(user=pjmo, external_training=drill)
    assert withdrawn.lapse_reason == Requirement.LapseReason.WITHDRAWN
    assert owed(pjmo).count() == 1


def test_changing_a_due_rule_moves_the_due_dates(pjmo_curriculum):
    pjmo = person("pjmo", roles=["general", "pjmo"], since=today() - days(10))
    sync()
    draft = pjmo_curriculum.get_latest_revision_as_object()
    items = list(draft.items.all())
    items[0].due_days = 45
    draft.items = items
    draft.save_revision().publish()

    sync()

    series_requirement = owed(pjmo, series__isnull=False).get()
    assert series_requirement.due_on == today() - days(10) + days(45)


def test_a_new_fiscal_year_reopens_yearly_items(mandatory, security_series):
    learner = person("learner")
    sync()
    for lesson in security_series.test_lessons:
        read(lesson, learner)
    next_year = fiscal_year_period(today()).end + days(1)

    sync(today=next_year)

    this_year = Requirement.objects.get(
        user=learner, series=security_series, lapsed_on__isnull=False
    )
    assert this_year.lapse_reason == Requirement.LapseReason.PERIOD_ENDED
    renewed = owed(learner, series=security_series).get()
    assert renewed.period == f"FY{next_year.year}"
    assert renewed.counts_from == next_year
    assert renewed.due_on == next_year + days(90)


def test_unpublishing_a_curriculum_lapses_what_it_required(
    pjmo_curriculum, django_capture_on_commit_callbacks
):
    pjmo = person("pjmo", roles=["general", "pjmo"])
    sync()

    with django_capture_on_commit_callbacks(execute=True):
        Curriculum.objects.get(pk=pjmo_curriculum.pk).unpublish()

    assert not owed(pjmo).exists()


def test_someone_joining_is_owed_the_mandatory_training_from_joining(
    mandatory, django_capture_on_commit_callbacks
):
    joined = today() - days(2)

    with django_capture_on_commit_callbacks(execute=True):
        newcomer = person("newcomer", since=joined)

    # A yearly count starts on joining, or on 1 April for who joined before.
    start = max(joined, fiscal_year_period(today()).start)
    due = {r.due_on for r in owed(newcomer)}
    assert due == {start + days(90), start + days(120)}


def test_a_yearly_item_of_a_curriculum_keeps_its_period_key(mandatory):
    learner = person("learner")

    sync()

    assert {r.period for r in owed(learner)} == {fiscal_year_period(today()).key}


def test_items_counted_once_per_curriculum_even_for_several_roles(pjmo_series, drill):
    make_curriculum(role_code="pjmo", items=[{"series": pjmo_series, **after_role(30)}])
    make_curriculum(
        role_code="lan_it",
        items=[{"series": pjmo_series, **after_role(60), **EVERY_YEAR}],
    )
    both = person("both", roles=["general", "pjmo", "lan_it"])

    sync()

    assert owed(both).count() == 2
    assert {r.curriculum.role.code for r in owed(both)} == {"pjmo", "lan_it"}


def test_joining_date_drives_mandatory_items_for_all_staff(security_series):
    make_curriculum(items=[{"series": security_series, **after_joining(30)}])
    newcomer = person("newcomer", joined=today() - days(10), since=today() - days(10))

    sync()

    assert owed(newcomer).get().due_on == today() + days(20)
