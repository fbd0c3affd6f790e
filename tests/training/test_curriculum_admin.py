"""Training admins keep curricula in the admin as snippets with revisions:
a draft creates no requirement, publishing does, and mistakes are refused
with a clear message."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation
from wagtail.models import ModelLogEntry

from training.models import Curriculum

from .conftest import days, owed, person, today

pytestmark = pytest.mark.django_db


def items_form(rows) -> dict:
    data = {
        "items-TOTAL_FORMS": str(len(rows)),
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        prefix = f"items-{index}"
        data.update(
            {
                f"{prefix}-series": "",
                f"{prefix}-lesson": "",
                f"{prefix}-external_training": "",
                f"{prefix}-due_rule": "fixed_date",
                f"{prefix}-due_date": "",
                f"{prefix}-due_days": "",
                f"{prefix}-recurrence": "none",
                f"{prefix}-ORDER": str(index + 1),
                f"{prefix}-DELETE": "",
            }
        )
        data.update({f"{prefix}-{key}": value for key, value in row.items()})
    return data


def curriculum_form(
    rows, *, for_all_staff=False, role="", name="PJMO研修", action="publish"
):
    data = {
        "name": name,
        "role": role,
        "description": "",
        **items_form(rows),
        f"action-{action}": "action",
    }
    if for_all_staff:
        data["for_all_staff"] = "on"
    return data


def add(client, data):
    return client.post(reverse("wagtailsnippets_training_curriculum:add"), data)


@pytest.fixture
def pjmo_role():
    from organisation.models import JobRole

    return JobRole.objects.get(code="pjmo")


def test_publishing_a_curriculum_in_the_admin_creates_requirements(
    client, training_admin, pjmo_series, pjmo_role, django_capture_on_commit_callbacks
):
    pjmo = person("pjmo", roles=["general", "pjmo"], since=today() - days(5))
    client.force_login(training_admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = add(
            client,
            curriculum_form(
                [
                    {
                        "series": pjmo_series.pk,
                        "due_rule": "days_after_role",
                        "due_days": "30",
                    }
                ],
                role=pjmo_role.pk,
            ),
        )

    assert response.status_code == 302
    curriculum = Curriculum.objects.get()
    assert curriculum.live
    assert owed(pjmo).get().due_on == today() + days(25)
    assert ModelLogEntry.objects.filter(action="wagtail.publish").exists()


def test_a_draft_saved_in_the_admin_creates_nothing(
    client, training_admin, pjmo_series, pjmo_role, django_capture_on_commit_callbacks
):
    pjmo = person("pjmo", roles=["general", "pjmo"])
    client.force_login(training_admin)
    data = curriculum_form(
        [{"series": pjmo_series.pk, "due_rule": "days_after_role", "due_days": "30"}],
        role=pjmo_role.pk,
    )
    del data["action-publish"]

    with django_capture_on_commit_callbacks(execute=True):
        response = add(client, data)

    assert response.status_code == 302
    assert not Curriculum.objects.get().live
    assert not owed(pjmo).exists()


def errors_of(response) -> str:
    return response.content.decode()


def test_a_fixed_date_without_the_date_is_refused_in_japanese(
    client, training_admin, pjmo_series, pjmo_role
):
    client.force_login(training_admin)

    with translation.override("ja"):
        response = add(
            client, curriculum_form([{"series": pjmo_series.pk}], role=pjmo_role.pk)
        )

    assert response.status_code == 200
    assert "期日を入力してください。" in errors_of(response)
    assert not Curriculum.objects.exists()


def test_an_item_naming_nothing_is_refused(client, training_admin, pjmo_role):
    client.force_login(training_admin)

    response = add(
        client,
        curriculum_form([{"due_date": "2027-03-31"}], role=pjmo_role.pk),
    )

    assert "教材・シリーズ・外部研修のいずれか一つを選んでください。" in errors_of(
        response
    )
    assert not Curriculum.objects.exists()


def test_counting_from_a_role_is_refused_for_all_staff(
    client, training_admin, pjmo_series
):
    client.force_login(training_admin)

    response = add(
        client,
        curriculum_form(
            [
                {
                    "series": pjmo_series.pk,
                    "due_rule": "days_after_role",
                    "due_days": "30",
                }
            ],
            for_all_staff=True,
            name="必修研修",
        ),
    )

    assert "全職員向けのカリキュラムには起算する職責がありません" in errors_of(response)
    assert not Curriculum.objects.exists()


def test_the_same_series_twice_is_refused(
    client, training_admin, pjmo_series, pjmo_role
):
    client.force_login(training_admin)
    item = {"series": pjmo_series.pk, "due_date": "2027-03-31"}

    response = add(client, curriculum_form([item, item], role=pjmo_role.pk))

    assert "この項目はすでにカリキュラムにあります。" in errors_of(response)
    assert not Curriculum.objects.exists()


def test_a_role_and_all_staff_together_are_refused(
    client, training_admin, pjmo_series, pjmo_role
):
    client.force_login(training_admin)

    response = add(
        client,
        curriculum_form(
            [{"series": pjmo_series.pk, "due_date": "2027-03-31"}],
            role=pjmo_role.pk,
            for_all_staff=True,
        ),
    )

    assert "職責を選ぶか、全職員の必修にしてください" in errors_of(response)
    assert not Curriculum.objects.exists()


@pytest.mark.parametrize("who", ["editor", "learner"])
def test_only_training_admins_keep_curricula(client, request, who):
    client.force_login(request.getfixturevalue(who))

    response = client.get(reverse("wagtailsnippets_training_curriculum:add"))

    assert response.status_code in (302, 403)


def test_training_admins_and_editors_hold_their_permissions_after_migration():
    def codenames(group):
        return {
            f"{p.content_type.app_label}.{p.codename}"
            for p in Group.objects.get(name=group).permissions.select_related(
                "content_type"
            )
        }

    assert {
        "training.publish_curriculum",
        "training.record_externaltraining",
        "training.view_requirement",
        "training.waive_requirement",
    } <= codenames("研修担当")
    assert "training.report_requirement" in codenames("編集者")
    assert "training.view_requirement" not in codenames("編集者")
