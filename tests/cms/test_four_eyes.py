"""Four eyes: the approval task refuses approval by the person who submitted."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from cms.models import FourEyesApprovalTask
from cms.organisation import EDITORS_GROUP
from quizzes.models import Quiz
from tests.factories import UserFactory, make_lesson, make_series
from tests.learning_series.test_workflow import edit_form
from tests.quizzes.conftest import make_quiz

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_editor(db):
    return UserFactory(username="editor-2", groups=[EDITORS_GROUP])


def submit_lesson(client, user, lesson):
    client.force_login(user)
    client.post(
        reverse("wagtailadmin_pages:edit", args=[lesson.pk]),
        edit_form(lesson, "submit"),
    )
    lesson.refresh_from_db()
    return lesson.current_workflow_task_state


def approve_lesson(client, user, lesson, task_state):
    client.force_login(user)
    return client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[lesson.pk, "approve", task_state.pk],
        ),
        {"comment": "確認しました。"},
    )


def submit_quiz(quiz, user):
    quiz.save_revision(user=user)
    return quiz.get_workflow().start(quiz, user).current_task_state


def test_the_editorial_workflow_uses_the_four_eyes_task():
    lesson = make_lesson(series=make_series(), live=False)

    tasks = [task.specific for task in lesson.get_workflow().tasks]

    assert [type(task) for task in tasks] == [FourEyesApprovalTask]
    assert [task.name for task in tasks] == ["編集者による承認"]


def test_editor_cannot_approve_their_own_lesson_submission(client, editor):
    lesson = make_lesson(series=make_series(), owner=editor, live=False)
    task_state = submit_lesson(client, editor, lesson)

    response = approve_lesson(client, editor, lesson, task_state)

    lesson.refresh_from_db()
    assert response.status_code in (302, 403)
    assert not lesson.live
    task = task_state.task.specific
    assert "approve" not in [name for name, *_ in task.get_actions(lesson, editor)]


def test_another_editor_can_approve_the_lesson(client, editor, second_editor):
    lesson = make_lesson(series=make_series(), owner=editor, live=False)
    task_state = submit_lesson(client, editor, lesson)

    approve_lesson(client, second_editor, lesson, task_state)

    lesson.refresh_from_db()
    assert lesson.live


def test_submitter_is_told_why_they_cannot_approve(client, editor):
    lesson = make_lesson(series=make_series(), owner=editor, live=False)
    submit_lesson(client, editor, lesson)

    html = client.get(reverse("wagtailadmin_pages:edit", args=[lesson.pk])).text

    assert "別の編集者" in html


def test_editor_cannot_approve_their_own_quiz_submission(client, editor):
    quiz = make_quiz(live=False)
    task_state = submit_quiz(quiz, editor)
    client.force_login(editor)

    client.post(
        reverse(
            "wagtailsnippets_quizzes_quiz:workflow_action",
            args=[quiz.pk, "approve", task_state.pk],
        ),
        {"comment": ""},
    )

    assert not Quiz.objects.get(pk=quiz.pk).live
    with pytest.raises(PermissionDenied):
        task_state.task.specific.on_action(task_state, editor, "approve")


def test_another_editor_can_approve_the_quiz(client, editor, second_editor):
    quiz = make_quiz(live=False)
    task_state = submit_quiz(quiz, editor)
    client.force_login(second_editor)

    client.post(
        reverse(
            "wagtailsnippets_quizzes_quiz:workflow_action",
            args=[quiz.pk, "approve", task_state.pk],
        ),
        {"comment": ""},
    )

    assert Quiz.objects.get(pk=quiz.pk).live


def test_four_eyes_can_be_switched_off(client, editor, settings):
    settings.GOFUN_FOUR_EYES = False
    lesson = make_lesson(series=make_series(), owner=editor, live=False)
    task_state = submit_lesson(client, editor, lesson)

    approve_lesson(client, editor, lesson, task_state)

    lesson.refresh_from_db()
    assert lesson.live
