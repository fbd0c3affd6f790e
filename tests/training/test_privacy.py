"""Learners see only their own records; editors see rates, never names (and
no small group); training admins see people (acceptance 6)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.urls import reverse

from tests.factories import DivisionFactory
from training.compliance import (
    certified_rows,
    completion_rates,
    compliance_matrix_rows,
    overdue_rows,
    staff_profiles_matching,
    staff_transcript,
)
from training.permissions import large_groups_only
from training.services import completion_record_external

from .conftest import person, read, sync, today

pytestmark = pytest.mark.django_db

PEOPLE_PAGES = [
    ("training_reports:matrix", []),
    ("training_reports:overdue", []),
    ("training_reports:certifications", []),
    ("training_staff_search", []),
]


@pytest.fixture
def colleagues(mandatory, security_series, drill, training_admin):
    division = DivisionFactory(code="accounting", name="会計課")
    me = person("me", name="自分 一郎", division=division)
    other = person("other", name="同僚 花子", division=division)
    for number in range(4):
        person(f"c{number}", name=f"同僚 {number}号", division=division)
    sync()
    read(security_series.test_lessons[0], other)
    completion_record_external(
        user=other, external_training=drill, completed_on=today(), by=training_admin
    )
    return me, other


def test_a_learner_sees_only_their_own_records(client, colleagues):
    me, other = colleagues
    client.force_login(me)

    page = client.get(reverse("training:transcript")).content.decode()

    assert "標的型メール訓練" not in page
    assert "情報の格付け" not in page


def test_a_learner_s_home_page_shows_only_their_own_training(client, colleagues):
    me, other = colleagues
    client.force_login(me)

    response = client.get("/")

    owed_users = {
        item.state.requirement.user_id
        for item in response.context["panels"][0].context["owed"]
    }
    assert owed_users == {me.pk}


@pytest.mark.parametrize(("name", "args"), PEOPLE_PAGES)
def test_a_learner_cannot_open_any_report(client, colleagues, name, args):
    me, _other = colleagues
    client.force_login(me)

    response = client.get(reverse(name, args=args))

    assert response.status_code in (302, 403)
    assert "同僚 花子" not in response.content.decode()


def test_a_learner_cannot_open_another_person_s_training(client, colleagues):
    me, other = colleagues
    client.force_login(me)

    response = client.get(reverse("training_staff", args=[other.pk]))

    assert response.status_code in (302, 403)
    assert "同僚 花子" not in response.content.decode()


@pytest.mark.parametrize(("name", "args"), PEOPLE_PAGES)
def test_an_editor_sees_no_names(client, colleagues, editor, name, args):
    client.force_login(editor)

    response = client.get(reverse(name, args=args))

    assert response.status_code in (302, 403)
    assert "同僚 花子" not in response.content.decode()


def test_an_editor_cannot_open_a_person_s_training(client, colleagues, editor):
    _me, other = colleagues
    client.force_login(editor)

    response = client.get(reverse("training_staff", args=[other.pk]))

    assert response.status_code in (302, 403)


@override_settings(GOFUN_PRIVACY_MIN_GROUP_SIZE=5)
def test_an_editor_sees_rates_without_names(client, colleagues, editor):
    client.force_login(editor)

    for breakdown in ("division", "post", "role"):
        response = client.get(
            reverse("training_reports:rates"), {"breakdown": breakdown}
        )
        page = response.content.decode()
        assert response.status_code == 200
        assert "同僚" not in page and "自分" not in page
        assert "会計課" in page or breakdown != "division"


def test_the_selectors_refuse_people_to_an_editor(colleagues, editor):
    profiles = staff_profiles_matching()
    me, _other = colleagues
    from training.models import Curriculum

    curriculum = Curriculum.objects.get()
    for call in (
        lambda: compliance_matrix_rows(
            viewer=editor, curriculum=curriculum, profiles=profiles
        ),
        lambda: overdue_rows(viewer=editor, profiles=profiles),
        lambda: certified_rows(viewer=editor, profiles=profiles),
        lambda: staff_transcript(viewer=editor, user=me),
    ):
        with pytest.raises(PermissionDenied):
            call()


def test_the_rate_selector_refuses_a_learner(colleagues):
    me, _other = colleagues

    with pytest.raises(PermissionDenied):
        completion_rates(viewer=me, breakdown="division")


def test_training_admins_see_people(client, colleagues, training_admin):
    _me, other = colleagues
    client.force_login(training_admin)

    assert (
        "同僚 花子" in client.get(reverse("training_reports:matrix")).content.decode()
    )
    assert (
        "同僚 花子"
        in client.get(reverse("training_staff", args=[other.pk])).content.decode()
    )


@override_settings(GOFUN_PRIVACY_MIN_GROUP_SIZE=5)
def test_no_group_under_k_and_none_to_work_out_from_the_total():
    sizes = {"a": 40, "b": 6, "c": 2}

    kept, hidden = large_groups_only(list(sizes), people=sizes.get)

    # c is under k; b goes too so that c cannot be had from the total.
    assert (kept, hidden) == (["a"], 2)


@override_settings(GOFUN_PRIVACY_MIN_GROUP_SIZE=5)
def test_groups_of_k_or_more_are_all_shown():
    sizes = {"a": 40, "b": 6, "c": 5}

    assert large_groups_only(list(sizes), people=sizes.get) == (["a", "b", "c"], 0)
