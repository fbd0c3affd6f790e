"""Checkpoint changes go through review, and attempts are graded by the
checkpoint version they were taken under."""

import pytest
from django.apps import apps as live_apps
from django.urls import reverse
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from quizzes.models import Attempt, Checkpoint
from quizzes.services import attempt_start, attempt_submit
from training.models import CompletionRecord

from .conftest import make_checkpoint, make_quiz, right_answers, seeded, wrong_answers

pytestmark = pytest.mark.django_db


def checkpoint_form(checkpoint, action: str, **changes) -> dict:
    """What the snippet editor posts for a checkpoint, with the chosen button."""
    values = {
        "lesson": checkpoint.lesson_id or "",
        "series": checkpoint.series_id or "",
        "quiz": checkpoint.quiz_id,
        "questions_per_attempt": checkpoint.questions_per_attempt,
        "role_draws": inline_formset([]),
        "pass_mark": checkpoint.pass_mark,
        "attempt_limit": checkpoint.attempt_limit or "",
        "time_limit_minutes": checkpoint.time_limit_minutes or "",
        "end_shows_correctness": "on",
        "end_shows_right_answers": "on",
        "end_shows_explanations": "on",
        **changes,
    }
    data = nested_form_data(values)
    data[f"action-{action}"] = "action"
    return data


def edit_url(checkpoint):
    return reverse("wagtailsnippets_quizzes_checkpoint:edit", args=[checkpoint.pk])


def test_checkpoints_are_under_the_editorial_workflow(checkpoint):
    assert checkpoint.get_workflow().name == "編集審査"


def test_author_may_change_but_not_publish_checkpoints(author, editor):
    assert author.has_perm("quizzes.change_checkpoint")
    assert not author.has_perm("quizzes.publish_checkpoint")
    assert editor.has_perm("quizzes.publish_checkpoint")


def test_authors_change_does_not_reach_learners_before_approval(
    client, author, learner
):
    checkpoint = make_checkpoint(pass_mark=80, attempt_limit=2)
    client.force_login(author)

    response = client.post(
        edit_url(checkpoint),
        checkpoint_form(checkpoint, "submit", pass_mark=7, attempt_limit=""),
    )

    assert response.status_code == 302
    live = Checkpoint.objects.get(pk=checkpoint.pk)
    assert (live.pass_mark, live.attempt_limit) == (80, 2)
    assert live.has_unpublished_changes
    assert WorkflowState.objects.get(base_content_type__model="checkpoint").status == (
        WorkflowState.STATUS_IN_PROGRESS
    )
    client.force_login(learner)
    html = client.get(checkpoint.lesson.url).text
    assert "合格点：80%" in html
    assert "合格点：7%" not in html


def test_author_cannot_publish_a_checkpoint_through_the_editor(client, author):
    checkpoint = make_checkpoint(pass_mark=80)
    client.force_login(author)

    client.post(
        edit_url(checkpoint), checkpoint_form(checkpoint, "publish", pass_mark=7)
    )

    assert Checkpoint.objects.get(pk=checkpoint.pk).pass_mark == 80


def test_a_new_checkpoint_made_by_an_author_is_not_offered_to_learners(
    client, author, learner
):
    checkpoint = make_checkpoint(publish=False)

    client.force_login(learner)
    response = client.post(reverse("quizzes:attempt_start", args=[checkpoint.pk]))

    assert not Attempt.objects.exists()
    assert response.status_code == 302
    assert "チェックポイントを始める" not in client.get(checkpoint.lesson.url).text


def test_attempt_records_the_checkpoint_revision_and_is_graded_by_it(learner, editor):
    checkpoint = make_checkpoint(pass_mark=100, questions_per_attempt=3)
    attempt = attempt_start(checkpoint=checkpoint, user=learner, rng=seeded(5))
    taken_under = checkpoint.live_revision_id
    # An editor publishes a lower pass mark while the attempt is open.
    checkpoint.pass_mark = 1
    checkpoint.save_revision(user=editor).publish(user=editor)
    answers = right_answers(attempt)
    first = min(answers)
    answers[first] = wrong_answers(attempt)[first]

    outcome = attempt_submit(attempt_id=attempt.pk, user=learner, answers=answers)

    assert attempt.checkpoint_revision_id == taken_under
    assert Checkpoint.objects.get(pk=checkpoint.pk).pass_mark == 1
    assert outcome.attempt.passed is False
    assert not CompletionRecord.objects.exists()


def test_existing_checkpoints_get_a_published_revision(learner):
    from importlib import import_module

    lesson_checkpoint = make_checkpoint(pass_mark=75)
    Checkpoint.objects.filter(pk=lesson_checkpoint.pk).update(
        live_revision=None, latest_revision=None
    )
    lesson_checkpoint.revisions.all().delete()
    migration = import_module(
        "quizzes.migrations.0007_checkpoint_revisions_and_workflow"
    )

    migration.publish_existing(live_apps, None)

    checkpoint = Checkpoint.objects.get(pk=lesson_checkpoint.pk)
    assert checkpoint.live
    assert checkpoint.live_revision is not None
    assert checkpoint.live_revision.as_object().pass_mark == 75
    attempt = attempt_start(checkpoint=checkpoint, user=learner, rng=seeded(1))
    assert attempt.checkpoint_revision_id == checkpoint.live_revision_id


def test_demo_quiz_helper_still_makes_a_draft_quiz_unavailable(learner):
    checkpoint = make_checkpoint(quiz=make_quiz(live=False))

    assert checkpoint.live
    assert not checkpoint.quiz.live
