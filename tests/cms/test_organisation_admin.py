"""Training admins keep the organisation in the Wagtail admin; others cannot."""

import pytest
from django.urls import reverse

from cms.models import Division, JobRole, StaffProfile
from tests.factories import DivisionFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db


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
        reverse("wagtailsnippets_cms_staffprofile:add"),
        {
            "user": person.pk,
            "division": division.pk,
            "post": post.pk,
            "roles": [role.pk for role in roles],
        },
    )

    assert response.status_code == 302
    profile = StaffProfile.objects.get(user=person)
    assert profile.post.kind == "mission"
    assert set(profile.roles.values_list("code", flat=True)) == {"general", "regional"}


def test_training_admin_renames_a_division(client, training_admin):
    division = DivisionFactory(name="総務課", code="general-affairs")
    client.force_login(training_admin)

    client.post(
        reverse("wagtailsnippets_cms_division:edit", args=[division.pk]),
        {"name": "官房総務課", "code": "general-affairs"},
    )

    division.refresh_from_db()
    assert division.name == "官房総務課"


def test_duplicate_division_name_is_refused_with_a_message(client, training_admin):
    DivisionFactory(name="会計課", code="accounting")
    client.force_login(training_admin)

    response = client.post(
        reverse("wagtailsnippets_cms_division:add"),
        {"name": "会計課", "code": "accounting-2"},
    )

    assert response.status_code == 200
    assert "既に存在します" in response.text
    assert Division.objects.filter(name="会計課").count() == 1


@pytest.mark.parametrize("who", ["author", "editor", "learner"])
def test_other_staff_cannot_edit_the_organisation(client, request, who):
    client.force_login(request.getfixturevalue(who))

    response = client.get(reverse("wagtailsnippets_cms_staffprofile:list"))

    assert response.status_code in (302, 403)
