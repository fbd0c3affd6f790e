"""The demo's training: curricula for 必修 and the four roles, requirements
for everyone, a mix of statuses, external records, waivers and a material
revision; `pjmo` owes the PJMO curriculum (acceptance 1)."""

import json
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from cms.demo import demo_load
from organisation.models import JobRole
from tests.organisation.test_admin import role_assignments_form
from training.models import (
    CompletionRecord,
    Curriculum,
    ExternalTraining,
    LessonMaterialChange,
    Requirement,
)
from training.requirements.selectors import Status, requirement_states

from .conftest import days, owed, today

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo once for this module (fewer simulated quiz takers than
    `make run` has, for time), in a transaction undone at its end."""
    with (
        django_db_blocker.unblock(),
        pytest.MonkeyPatch.context() as patch,
        transaction.atomic(),
    ):
        patch.setattr("quizzes.demo.SIMULATED_LEARNERS", 6)
        yield demo_load()
        transaction.set_rollback(True)


def test_curricula_for_all_staff_and_the_four_roles_are_published(demo):
    curricula = Curriculum.objects.filter(live=True)

    assert curricula.filter(for_all_staff=True).count() == 1
    assert set(curricula.exclude(role=None).values_list("role__code", flat=True)) == {
        "general",
        "lan_it",
        "pjmo",
        "regional",
    }
    mandatory = curricula.get(for_all_staff=True)
    assert {item.series.slug for item in mandatory.items.all() if item.series} == {
        "document-management",
        "information-protection",
        "information-security",
    }
    assert ExternalTraining.objects.count() == 4


def test_pjmo_owes_the_pjmo_curriculum_and_the_mandatory_items(demo):
    out = StringIO()

    call_command("training_status", "pjmo", json=True, stdout=out)

    items = json.loads(out.getvalue())
    by_curriculum = Counter(item["curriculum"] for item in items)
    assert by_curriculum["PJMO研修カリキュラム"] == 3
    assert by_curriculum["必修研修（全職員）"] == 4
    gained = today() - days(6)
    pjmo_due = sorted(
        item["due"] for item in items if item["curriculum"] == "PJMO研修カリキュラム"
    )
    assert pjmo_due == [(gained + days(n)).isoformat() for n in (30, 60, 90)]
    assert all(item["due"] for item in items)


def test_the_demo_has_every_status_and_every_kind_of_record(demo):
    states = requirement_states(list(Requirement.objects.active()))

    assert {state.status for state in states} >= {
        Status.NOT_STARTED,
        Status.IN_PROGRESS,
        Status.COMPLETED,
        Status.OVERDUE,
        Status.WAIVED,
    }
    kinds = set(CompletionRecord.objects.values_list("kind", flat=True))
    assert {"quiz_passed", "external", "waived"} <= kinds


def test_a_mandatory_lesson_was_revised_materially(demo):
    change = LessonMaterialChange.objects.get()

    assert change.lesson.slug == "information-security-1"
    assert change.reason
    assert Requirement.objects.active().filter(material_change=change).exists()


def save_roles_in_the_admin(client, profile, rows, *, initial):
    """Post the staff profile's edit form with these role assignment rows."""
    client.post(
        reverse("wagtailsnippets_organisation_staffprofile:edit", args=[profile.pk]),
        {
            "user": profile.user_id,
            "staff_number": profile.staff_number,
            "joined_on": profile.joined_on.isoformat(),
            "division": profile.division_id,
            "post": profile.post_id,
            **role_assignments_form(rows, initial=initial),
        },
    )


def test_giving_learner_a_role_today_in_the_admin_and_taking_it_away(
    demo, client, django_capture_on_commit_callbacks
):
    learner = demo.users["learner"]
    profile = learner.staff_profile
    general = profile.role_assignments.get()
    kept = (general.role_id, general.started_on.isoformat(), "", general.pk)
    lan = JobRole.objects.get(code="lan_it")
    client.force_login(demo.users["trainer"])
    records_before = CompletionRecord.objects.filter(user=learner).count()

    with django_capture_on_commit_callbacks(execute=True):
        save_roles_in_the_admin(
            client, profile, [kept, (lan.pk, today().isoformat(), "")], initial=1
        )

    lan_items = owed(learner, curriculum__role=lan)
    assert sorted(r.due_on for r in lan_items) == [
        today() + days(n) for n in (30, 60, 90)
    ]
    assignment = profile.role_assignments.get(role=lan)

    with django_capture_on_commit_callbacks(execute=True):
        ended = (lan.pk, today().isoformat(), today().isoformat(), assignment.pk)
        save_roles_in_the_admin(client, profile, [kept, ended], initial=2)

    assert not owed(learner, curriculum__role=lan).exists()
    lapsed = Requirement.objects.filter(user=learner, curriculum__role=lan)
    assert {r.lapse_reason for r in lapsed} == {"role_ended"}
    assert CompletionRecord.objects.filter(user=learner).count() == records_before


def test_loading_the_demo_again_adds_no_training(demo):
    counts = (
        Curriculum.objects.count(),
        Requirement.objects.count(),
        CompletionRecord.objects.count(),
        LessonMaterialChange.objects.count(),
    )

    demo_load()

    assert (
        Curriculum.objects.count(),
        Requirement.objects.count(),
        CompletionRecord.objects.count(),
        LessonMaterialChange.objects.count(),
    ) == counts
