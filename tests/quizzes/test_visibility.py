"""Checkpoints, attempts, read-to-end and records follow the visibility rule."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import PageViewRestriction

from cms.organisation import EDITORS_GROUP
from learning_series.visibility import PageNotVisible
from quizzes.models import Attempt
from quizzes.services import attempt_start
from tests.factories import make_lesson, make_series, record_reading
from training.models import CompletionRecord
from training.services import completion_record_read_to_end

from .conftest import as_form, make_checkpoint, make_quiz, right_answers, seeded

pytestmark = pytest.mark.django_db


def restrict_to_editors(page):
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set(Group.objects.filter(name=EDITORS_GROUP))
    return restriction


@pytest.fixture
def restricted_checkpoint(db):
    lesson = make_lesson(series=make_series(), title="編集者限定の教材")
    restrict_to_editors(lesson)
    return make_checkpoint(lesson=lesson, quiz=make_quiz(title="限定の確認テスト"))


def test_learner_cannot_start_the_checkpoint_of_a_restricted_lesson(
    client, learner, restricted_checkpoint
):
    client.force_login(learner)

    response = client.post(
        reverse("quizzes:attempt_start", args=[restricted_checkpoint.pk])
    )

    assert response.status_code == 404
    assert not Attempt.objects.exists()
    with pytest.raises(PageNotVisible):
        attempt_start(checkpoint=restricted_checkpoint, user=learner)


def test_editor_in_the_group_can_start_it(client, editor, restricted_checkpoint):
    client.force_login(editor)

    response = client.post(
        reverse("quizzes:attempt_start", args=[restricted_checkpoint.pk])
    )

    assert response.status_code == 302
    assert Attempt.objects.filter(user=editor).count() == 1


def test_attempt_is_not_found_once_its_lesson_is_restricted(
    client, learner, checkpoint
):
    attempt = attempt_start(checkpoint=checkpoint, user=learner, rng=seeded(1))
    answers = as_form(right_answers(attempt))
    restrict_to_editors(checkpoint.lesson)
    client.force_login(learner)

    shown = client.get(reverse("quizzes:attempt", args=[attempt.pk]))
    sent = client.post(reverse("quizzes:attempt_submit", args=[attempt.pk]), answers)

    assert shown.status_code == 404
    assert sent.status_code == 404
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.OPEN
    assert not CompletionRecord.objects.exists()


def test_attempt_is_not_found_once_its_series_is_unpublished(
    client, learner, checkpoint
):
    attempt = attempt_start(checkpoint=checkpoint, user=learner, rng=seeded(1))
    checkpoint.lesson.get_parent().specific.unpublish()
    client.force_login(learner)

    response = client.post(
        reverse("quizzes:attempt_submit", args=[attempt.pk]),
        as_form(right_answers(attempt)),
    )

    assert response.status_code == 404
    assert not CompletionRecord.objects.exists()


def test_read_to_end_refused_for_a_lesson_in_a_restricted_series(client, learner):
    series = make_series(title="限定シリーズ", slug="closed")
    lesson = make_lesson(series=series)
    restrict_to_editors(series)
    client.force_login(learner)

    response = client.post(reverse("training:lesson_read", args=[lesson.pk]))

    assert response.status_code == 404
    assert not CompletionRecord.objects.exists()
    with pytest.raises(PageNotVisible):
        completion_record_read_to_end(lesson=lesson, user=learner)


def test_read_to_end_refused_for_a_lesson_whose_series_is_unpublished(client, learner):
    series = make_series(slug="withdrawn")
    lesson = make_lesson(series=series)
    series.unpublish()
    client.force_login(learner)

    response = client.post(reverse("training:lesson_read", args=[lesson.pk]))

    assert response.status_code == 404
    assert not CompletionRecord.objects.exists()


def test_records_of_a_lesson_no_longer_visible_hide_its_title(client, learner):
    series = make_series(slug="later-closed")
    lesson = make_lesson(series=series, title="後に限定された教材")
    record_reading(lesson=lesson, user=learner)
    completion_record_read_to_end(lesson=lesson, user=learner)
    restrict_to_editors(series)
    client.force_login(learner)

    html = client.get(reverse("training:transcript")).text

    assert "後に限定された教材" not in html
    assert "閲覧できなくなった教材" in html


def test_records_of_a_visible_lesson_link_to_it(client, learner):
    lesson = make_lesson(series=make_series(slug="still-open"), title="公開中の教材")
    record_reading(lesson=lesson, user=learner)
    completion_record_read_to_end(lesson=lesson, user=learner)
    client.force_login(learner)

    html = client.get(reverse("training:transcript")).text

    assert f'href="{lesson.url}"' in html
    assert "公開中の教材" in html


def test_unpublished_quiz_title_never_shows_on_the_lesson(client, learner):
    lesson = make_lesson(series=make_series(slug="quizless"))
    draft_quiz = make_quiz(title="未公開の確認テスト", live=False)
    make_checkpoint(lesson=lesson, quiz=draft_quiz)
    client.force_login(learner)

    html = client.get(lesson.url).text

    assert "未公開の確認テスト" not in html
