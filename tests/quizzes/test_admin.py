"""Quizzes in the admin: the editorial workflow, permissions and item analysis."""

import pytest
from django.urls import reverse
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import nested_form_data, streamfield

from quizzes.models import Quiz
from quizzes.services import attempt_start, attempt_submit

from .conftest import make_checkpoint, make_quiz, right_answers, seeded

pytestmark = pytest.mark.django_db


def question_form(block) -> dict:
    """What the snippet editor posts for one question, choices as a ListBlock."""
    choices = {
        str(index): {
            "value": {
                "text": child.value["text"],
                "correct": "on" if child.value["correct"] else "",
                "explanation": child.value["explanation"],
            },
            "id": child.id,
            "order": str(index),
            "deleted": "",
        }
        for index, child in enumerate(block.value["choices"].bound_blocks)
    }
    choices["count"] = str(len(block.value["choices"]))
    return {
        "text": block.value["text"],
        "kind": block.value["kind"],
        "roles": list(block.value["roles"]),
        "choices": choices,
    }


def test_quizzes_are_under_the_editorial_workflow():
    workflow = make_quiz().get_workflow()

    assert workflow.name == "編集審査"


def test_author_can_add_but_not_publish_a_quiz(author):
    assert author.has_perm("quizzes.add_quiz")
    assert author.has_perm("quizzes.change_quiz")
    assert not author.has_perm("quizzes.publish_quiz")


def test_editor_can_publish_a_quiz(editor):
    assert editor.has_perm("quizzes.publish_quiz")


def test_author_submits_a_quiz_for_review_through_the_snippet_editor(client, author):
    quiz = make_quiz(live=False)
    client.force_login(author)
    url = reverse("wagtailsnippets_quizzes_quiz:edit", args=[quiz.pk])
    data = nested_form_data(
        {
            "title": quiz.title,
            "description": "",
            "questions": streamfield(
                [("question", question_form(block)) for block in quiz.questions]
            ),
        }
    )
    data["action-submit"] = "action"

    response = client.post(url, data)

    assert response.status_code == 302
    state = WorkflowState.objects.get(base_content_type__model="quiz")
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert not Quiz.objects.get(pk=quiz.pk).live


def test_editor_sees_item_analysis(client, editor, learner):
    checkpoint = make_checkpoint()
    attempt = attempt_start(checkpoint=checkpoint, user=learner, rng=seeded(1))
    attempt_submit(attempt_id=attempt.pk, user=learner, answers=right_answers(attempt))
    client.force_login(editor)

    listing = client.get(reverse("quizzes_item_analysis"))
    detail = client.get(
        reverse("quizzes_item_analysis_quiz", args=[checkpoint.quiz_id])
    )

    assert listing.status_code == 200
    assert "確認テスト" in listing.content.decode()
    html = detail.content.decode()
    assert "識別力" in html
    assert "共通問題1" in html


def test_author_cannot_see_item_analysis(client, author):
    quiz = make_quiz()
    client.force_login(author)

    response = client.get(reverse("quizzes_item_analysis_quiz", args=[quiz.pk]))

    assert response.status_code in (302, 403)
