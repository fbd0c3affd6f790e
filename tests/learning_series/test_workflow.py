"""The editorial workflow 編集審査 on lessons, through Wagtail's own admin views."""

import pytest
from django.urls import reverse
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from tests.factories import make_lesson, make_series

pytestmark = pytest.mark.django_db


def edit_form(lesson, action: str) -> dict:
    """What the page editor posts for a lesson, with the chosen action button."""
    data = nested_form_data(
        {
            "title": lesson.title,
            "slug": lesson.slug,
            "summary": lesson.summary,
            "tags": "メール",
            "slides": streamfield(
                [
                    (
                        "slide",
                        {
                            "title": block.value["title"],
                            "body": block.value["body"],
                            "image": "",
                            "image_alt": "",
                            "notes": block.value["notes"],
                        },
                    )
                    for block in lesson.slides
                ]
            ),
            "comments": inline_formset([]),
        }
    )
    data[f"action-{action}"] = "action"
    return data


def submit_for_review(client, author, lesson):
    """The author submits the lesson from the page editor; its open task state."""
    client.force_login(author)
    client.post(
        reverse("wagtailadmin_pages:edit", args=[lesson.pk]),
        edit_form(lesson, "submit"),
    )
    lesson.refresh_from_db()
    return lesson.current_workflow_task_state


@pytest.fixture
def draft_lesson(author):
    return make_lesson(series=make_series(), owner=author, live=False)


def test_lessons_are_under_the_editorial_workflow(draft_lesson):
    workflow = draft_lesson.get_workflow()

    assert workflow.name == "編集審査"
    assert [task.name for task in workflow.tasks] == ["編集者による承認"]


def test_author_cannot_publish_lesson(client, author, draft_lesson):
    client.force_login(author)

    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[draft_lesson.pk]),
        edit_form(draft_lesson, "publish"),
    )

    draft_lesson.refresh_from_db()
    assert response.status_code in (302, 403)
    assert not draft_lesson.live
    assert draft_lesson.live_revision is None
    assert not draft_lesson.permissions_for_user(author).can_publish()


def test_author_can_submit_lesson_for_review(client, author, draft_lesson):
    client.force_login(author)

    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[draft_lesson.pk]),
        edit_form(draft_lesson, "submit"),
    )

    assert response.status_code == 302
    state = WorkflowState.objects.get(base_content_type__model="page")
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.requested_by == author
    assert state.current_task_state.task.name == "編集者による承認"
    draft_lesson.refresh_from_db()
    assert not draft_lesson.live


def test_editor_can_approve_submitted_lesson(client, author, editor, draft_lesson):
    task_state = submit_for_review(client, author, draft_lesson)

    client.force_login(editor)
    response = client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[draft_lesson.pk, "approve", task_state.pk],
        ),
        {"comment": "内容を確認しました。"},
    )

    assert response.status_code in (200, 302)
    draft_lesson.refresh_from_db()
    assert draft_lesson.live
    assert draft_lesson.live_revision is not None
    assert draft_lesson.latest_revision.user == author


def test_author_cannot_approve_own_submission(client, author, draft_lesson):
    task_state = submit_for_review(client, author, draft_lesson)

    response = client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[draft_lesson.pk, "approve", task_state.pk],
        ),
        {"comment": ""},
    )

    draft_lesson.refresh_from_db()
    assert response.status_code in (302, 403)
    assert not draft_lesson.live


def test_editor_can_publish_directly(client, editor, author):
    lesson = make_lesson(series=make_series(), owner=author, live=False)
    client.force_login(editor)

    client.post(
        reverse("wagtailadmin_pages:edit", args=[lesson.pk]),
        edit_form(lesson, "publish"),
    )

    lesson.refresh_from_db()
    assert lesson.live
