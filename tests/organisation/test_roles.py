"""Job roles are held from a date until an optional last day, and every change
to them is announced once committed, whichever path made it."""

import datetime

import pytest
from django.urls import reverse

from organisation.models import JobRole, RoleAssignment
from organisation.selectors import staff_role_codes, staff_snapshot
from organisation.services import (
    role_assignment_changed,
    staff_role_assign,
    staff_role_end,
)
from tests.factories import StaffProfileFactory, UserFactory

from .test_admin import role_assignments_form

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 4, 1)


@pytest.fixture
def profile():
    return StaffProfileFactory(roles=["general"], roles__since=DAY)


@pytest.fixture
def announcements():
    received = []

    def receiver(sender, profile_id, **kwargs):
        received.append(profile_id)

    role_assignment_changed.connect(receiver)
    yield received
    role_assignment_changed.disconnect(receiver)


def pjmo():
    return JobRole.objects.get(code="pjmo")


def test_a_role_is_held_from_its_first_to_its_last_day(profile):
    assignment = RoleAssignment.objects.create(
        profile=profile,
        role=pjmo(),
        started_on=DAY,
        ended_on=DAY + datetime.timedelta(days=30),
    )
    user = profile.user

    assert staff_role_codes(user=user, on=DAY - datetime.timedelta(days=1)) == set()
    assert staff_role_codes(user=user, on=DAY) == {"general", "pjmo"}
    assert staff_role_codes(user=user, on=assignment.ended_on) == {"general", "pjmo"}
    assert staff_role_codes(
        user=user, on=assignment.ended_on + datetime.timedelta(days=1)
    ) == {"general"}


def test_someone_without_a_profile_holds_no_role():
    assert staff_role_codes(user=UserFactory()) == set()
    assert staff_role_codes(user=None) == set()


def test_the_snapshot_names_division_post_and_roles_of_the_day(profile):
    snapshot = staff_snapshot(user=profile.user, on=DAY)

    assert snapshot.division_id == profile.division_id
    assert snapshot.post_id == profile.post_id
    assert snapshot.role_ids == (JobRole.objects.get(code="general").pk,)


def test_assigning_a_role_twice_on_one_day_keeps_one_assignment(
    profile, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = staff_role_assign(profile=profile, role=pjmo(), started_on=DAY)
        second = staff_role_assign(profile=profile, role=pjmo(), started_on=DAY)

    assert first == second
    assert profile.role_assignments.filter(role=pjmo()).count() == 1


def test_ending_a_role_keeps_its_history(
    profile, announcements, django_capture_on_commit_callbacks
):
    staff_role_assign(profile=profile, role=pjmo(), started_on=DAY)
    last_day = DAY + datetime.timedelta(days=10)
    announcements.clear()

    with django_capture_on_commit_callbacks(execute=True):
        ended = staff_role_end(profile=profile, role=pjmo(), ended_on=last_day)

    assert ended == 1
    assignment = profile.role_assignments.get(role=pjmo())
    assert (assignment.started_on, assignment.ended_on) == (DAY, last_day)
    assert announcements == [profile.pk]


def test_changes_are_announced_only_once_committed(
    profile, announcements, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        staff_role_assign(profile=profile, role=pjmo(), started_on=DAY)

    assert announcements == []
    for callback in callbacks:
        callback()
    assert announcements == [profile.pk]


def test_a_role_given_in_the_admin_is_announced(
    client, training_admin, profile, announcements, django_capture_on_commit_callbacks
):
    client.force_login(training_admin)
    general = profile.role_assignments.get()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse(
                "wagtailsnippets_organisation_staffprofile:edit", args=[profile.pk]
            ),
            {
                "user": profile.user_id,
                "staff_number": profile.staff_number,
                "joined_on": "2020-04-01",
                "division": profile.division_id,
                "post": profile.post_id,
                **role_assignments_form(
                    [
                        (general.role_id, "2026-04-01", "", general.pk),
                        (pjmo().pk, "2026-11-01", ""),
                    ],
                    initial=1,
                ),
            },
        )

    assert response.status_code == 302
    assert staff_role_codes(user=profile.user, on=datetime.date(2026, 11, 2)) == {
        "general",
        "pjmo",
    }
    assert profile.pk in announcements


def test_an_end_before_the_start_is_refused_in_the_admin(
    client, training_admin, profile
):
    client.force_login(training_admin)
    general = profile.role_assignments.get()

    response = client.post(
        reverse("wagtailsnippets_organisation_staffprofile:edit", args=[profile.pk]),
        {
            "user": profile.user_id,
            "staff_number": profile.staff_number,
            "joined_on": "2020-04-01",
            "division": profile.division_id,
            "post": profile.post_id,
            **role_assignments_form(
                [(general.role_id, "2026-04-01", "2026-03-01", general.pk)],
                initial=1,
            ),
        },
    )

    assert response.status_code == 200
    assert "終了日が開始日より前です" in response.text
    assert profile.role_assignments.get().ended_on is None


def test_a_staff_number_is_unique(client, training_admin, profile):
    other = UserFactory()
    client.force_login(training_admin)

    response = client.post(
        reverse("wagtailsnippets_organisation_staffprofile:add"),
        {
            "user": other.pk,
            "staff_number": profile.staff_number,
            "joined_on": "2024-04-01",
            "division": profile.division_id,
            "post": profile.post_id,
            **role_assignments_form([]),
        },
    )

    assert response.status_code == 200
    assert not hasattr(other, "staff_profile")
