"""Group, workflow and task names: Japanese identifiers, translatable display names."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Task, Workflow

from cms.organisation import EDITORIAL_TASK, EDITORIAL_WORKFLOW, EDITORS_GROUP
from tests.factories import make_lesson, make_series

pytestmark = pytest.mark.django_db


def in_english(client):
    client.cookies["django_language"] = "en"


def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.go.jp", "x")


def test_identifiers_stay_japanese_in_the_database():
    group = Group.objects.get(name=EDITORS_GROUP)

    assert group.name == "編集者"
    assert Group.objects.filter(name=group.name).exists()
    assert Workflow.objects.get(name=EDITORIAL_WORKFLOW).name == "編集審査"


def test_english_interface_shows_english_group_names(client, django_user_model):
    client.force_login(superuser(django_user_model))
    in_english(client)

    html = client.get(reverse("wagtailusers_groups:index")).content.decode()

    assert "Editors" in html and "Authors" in html
    assert "Training administrators" in html
    assert "編集者" not in html and "執筆者" not in html and "研修担当" not in html


def test_japanese_interface_shows_the_japanese_names(client, django_user_model):
    client.force_login(superuser(django_user_model))

    html = client.get(reverse("wagtailusers_groups:index")).content.decode()

    assert "編集者" in html and "執筆者" in html


def test_english_workflow_pages_show_english_names(client, django_user_model):
    client.force_login(superuser(django_user_model))
    in_english(client)

    workflows = client.get(reverse("wagtailadmin_workflows:index")).content.decode()
    tasks = client.get(reverse("wagtailadmin_workflows:task_index")).content.decode()

    assert "Editorial review" in workflows and "編集審査" not in workflows
    assert "Approval by an editor" in tasks and "編集者による承認" not in tasks


def test_english_edit_page_offers_to_submit_to_editorial_review(client, author):
    lesson = make_lesson(series=make_series(), owner=author, live=False)
    client.force_login(author)
    in_english(client)

    html = client.get(reverse("wagtailadmin_pages:edit", args=[lesson.pk])).text

    assert "Submit to Editorial review" in html
    assert "編集審査" not in html


def test_editing_a_group_in_english_keeps_its_identifier(client, django_user_model):
    client.force_login(superuser(django_user_model))
    in_english(client)
    group = Group.objects.get(name=EDITORS_GROUP)

    html = client.get(reverse("wagtailusers_groups:edit", args=[group.pk])).text

    assert 'value="編集者"' in html


def test_saving_a_task_keeps_its_identifier():
    # The workflow's task (an earlier, inactive one may share the name).
    task = Task.objects.get(name=EDITORIAL_TASK, active=True)

    task.save()

    assert Task.objects.filter(name="編集者による承認").exists()
