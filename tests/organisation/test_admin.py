"""Training admins keep the organisation in the Wagtail admin; others cannot."""

import pytest
from django.urls import reverse

from organisation.models import Division, JobRole, StaffProfile
from organisation.selectors import staff_role_codes
from tests.factories import DivisionFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db


def role_assignments_form(rows, initial: int = 0) -> dict:
    """The role assignments inline formset as the admin posts it."""
    data = {
        "role_assignments-TOTAL_FORMS": str(len(rows)),
        "role_assignments-INITIAL_FORMS": str(initial),
        "role_assignments-MIN_NUM_FORMS": "0",
        "role_assignments-MAX_NUM_FORMS": "1000",
    }
    for index, (role, started_on, ended_on, *rest) in enumerate(rows):
        prefix = f"role_assignments-{index}"
        data.update(
            {
                f"{prefix}-role": role,
                f"{prefix}-started_on": started_on,
                f"{prefix}-ended_on": ended_on,
                f"{prefix}-ORDER": str(index + 1),
                f"{prefix}-DELETE": "",
            }
        )
        if rest:
            data[f"{prefix}-id"] = rest[0]
    return data


def test_job_roles_from_the_seed_exist_after_migration():
    assert list(JobRole.objects.values_list("code", "name")) == [
        ("general", "一般職員"),
        ("lan_it", "LAN・IT機器担当"),
        ("pjmo", "PJMO"),
        ("regional", "広域担当官"),
    ]


def test_training_admin_adds_a_staff_profile_with_several_roles(client, training_admin):
    person = UserFactory(username="new.staff")
    division = DivisionFactory(name="情報システム統括課")
    post = PostFactory(name="在英国日本国大使館", kind="mission")
    roles = JobRole.objects.filter(code__in=["general", "regional"])
    client.force_login(training_admin)

    response = client.post(
        reverse("wagtailsnippets_organisation_staffprofile:add"),
        {
            "user": person.pk,
            "staff_number": "123456",
            "joined_on": "2024-04-01",
            "division": division.pk,
            "post": post.pk,
            **role_assignments_form([(role.pk, "2024-04-01", "") for role in roles]),
        },
    )

    assert response.status_code == 302
    profile = StaffProfile.objects.get(user=person)
    assert profile.post.kind == "mission"
    assert profile.staff_number == "123456"
    assert staff_role_codes(user=person) == {"general", "regional"}


def test_training_admin_renames_a_division(client, training_admin):
    division = DivisionFactory(name="総務課", code="general-affairs")
    client.force_login(training_admin)

    client.post(
        reverse("wagtailsnippets_organisation_division:edit", args=[division.pk]),
        {"name": "官房総務課", "code": "general-affairs"},
    )

    division.refresh_from_db()
    assert division.name == "官房総務課"


def test_duplicate_division_name_is_refused_with_a_message(client, training_admin):
    DivisionFactory(name="会計課", code="accounting")
    client.force_login(training_admin)

    response = client.post(
        reverse("wagtailsnippets_organisation_division:add"),
        {"name": "会計課", "code": "accounting-2"},
    )

    assert response.status_code == 200
    assert "既に存在します" in response.text
    assert Division.objects.filter(name="会計課").count() == 1


@pytest.mark.parametrize("who", ["author", "editor", "learner"])
def test_other_staff_cannot_edit_the_organisation(client, request, who):
    client.force_login(request.getfixturevalue(who))

    response = client.get(reverse("wagtailsnippets_organisation_staffprofile:list"))

    assert response.status_code in (302, 403)
