"""Review options (like Moodle's), slides to re-read, and fresh retakes."""

import pytest
from django.urls import reverse

from learning_series.marp import Deck, Slide
from learning_series.services import lesson_create_from_deck
from quizzes.models import Attempt
from quizzes.selectors import checkpoint_bank_shortfalls
from quizzes.services import attempt_start, attempt_submit
from tests.factories import make_series

from .conftest import (
    as_form,
    choice,
    make_checkpoint,
    make_quiz,
    right_answers,
    seeded,
    wrong_answers,
)

pytestmark = pytest.mark.django_db


def submit_wrong(client, user, checkpoint, seed=1):
    attempt = attempt_start(checkpoint=checkpoint, user=user, rng=seeded(seed))
    client.force_login(user)
    client.post(
        reverse("quizzes:attempt_submit", args=[attempt.pk]),
        as_form(wrong_answers(attempt)),
    )
    return attempt


def review_html(client, attempt) -> str:
    return client.get(reverse("quizzes:attempt", args=[attempt.pk])).text


def test_failed_attempt_with_attempts_left_shows_only_score_and_slides(client, learner):
    checkpoint = make_checkpoint(attempt_limit=3)
    attempt = submit_wrong(client, learner, checkpoint)

    html = review_html(client, attempt)

    assert "3 問中 0 問正解" in html
    assert "#slide-" in html
    assert "の解説" not in html
    assert "badge--correct" not in html
    assert "quiz__verdict" not in html
    for question in attempt.questions.all():
        for key in question.choice_keys:
            assert key not in html


def test_last_attempt_shows_everything(client, learner):
    checkpoint = make_checkpoint(attempt_limit=1)
    attempt = submit_wrong(client, learner, checkpoint)

    html = review_html(client, attempt)

    assert "の解説" in html
    assert "badge--correct" in html
    assert "quiz__verdict--wrong" in html


def test_a_pass_shows_everything(client, learner):
    checkpoint = make_checkpoint(attempt_limit=3)
    attempt = attempt_start(checkpoint=checkpoint, user=learner, rng=seeded(2))
    attempt_submit(attempt_id=attempt.pk, user=learner, answers=right_answers(attempt))
    client.force_login(learner)

    html = review_html(client, attempt)

    assert "の解説" in html
    assert "badge--correct" in html


def test_retry_options_can_show_correctness_alone(client, learner):
    checkpoint = make_checkpoint(attempt_limit=None, retry_shows_correctness=True)
    attempt = submit_wrong(client, learner, checkpoint)

    html = review_html(client, attempt)

    assert "quiz__verdict--wrong" in html
    assert "badge--correct" not in html
    assert "の解説" not in html


def test_end_options_can_hide_the_right_answers(client, learner):
    checkpoint = make_checkpoint(
        attempt_limit=1, end_shows_right_answers=False, end_shows_explanations=False
    )
    attempt = submit_wrong(client, learner, checkpoint)

    html = review_html(client, attempt)

    assert "quiz__verdict--wrong" in html
    assert "badge--correct" not in html
    assert "の解説" not in html


@pytest.fixture
def taught_lesson():
    deck = Deck(
        title="パスワードの基本",
        slides=[
            Slide(title="はじめに", body="この教材の目的を説明します。"),
            Slide(title="長さ", body="パスワードは十二文字以上の長さにします。"),
            Slide(title="使い回し", body="同じパスワードを複数のサービスで使わない。"),
        ],
    )
    lesson, revision = lesson_create_from_deck(
        series=make_series(slug="passwords"), deck=deck, owner=None
    )
    revision.publish()
    lesson.refresh_from_db()
    return lesson


def test_wrong_answers_point_at_the_slide_that_teaches_them(
    client, learner, taught_lesson
):
    quiz = make_quiz(
        questions=[
            {
                "text": "パスワードは何文字以上の長さにしますか。",
                "kind": "single",
                "roles": [],
                "choices": [choice("十二文字", True), choice("四文字")],
            },
            {
                "text": "次のうち正しいものはどれですか。",
                "kind": "single",
                "roles": [],
                "slide": 3,
                "choices": [choice("分けて使う", True), choice("同じものを使う")],
            },
        ]
    )
    checkpoint = make_checkpoint(
        lesson=taught_lesson, quiz=quiz, questions_per_attempt=2, attempt_limit=None
    )
    attempt = submit_wrong(client, learner, checkpoint)

    html = review_html(client, attempt)

    assert f'href="{taught_lesson.url}#slide-2"' in html
    assert f'href="{taught_lesson.url}#slide-3"' in html
    assert f'href="{taught_lesson.url}#slide-1"' not in html


def test_a_retake_draws_questions_not_asked_last_time(learner):
    checkpoint = make_checkpoint(questions_per_attempt=2, attempt_limit=None)
    first = attempt_start(checkpoint=checkpoint, user=learner, rng=seeded(4))
    attempt_submit(attempt_id=first.pk, user=learner, answers=wrong_answers(first))

    second = attempt_start(checkpoint=checkpoint, user=learner, rng=seeded(4))

    asked = {q.question_key for q in first.questions.all()}
    again = {q.question_key for q in second.questions.all()}
    assert len(again) == 2
    assert not asked & again


def test_bank_too_small_to_vary_is_named_for_the_role(editor):
    # BANK: 4 common questions, 2 for PJMO, 1 for LAN・IT.
    varied = make_checkpoint(questions_per_attempt=3)
    same_for_all = make_checkpoint(questions_per_attempt=4, role_draws={"pjmo": 6})

    assert checkpoint_bank_shortfalls(checkpoint=varied) == []
    shortfalls = {
        s.role_name: s for s in checkpoint_bank_shortfalls(checkpoint=same_for_all)
    }
    assert shortfalls[""].eligible == 4
    assert shortfalls["PJMO"].drawn == 6
    assert shortfalls["PJMO"].eligible == 6


def test_editor_is_warned_in_the_checkpoint_editor(client, editor):
    checkpoint = make_checkpoint(questions_per_attempt=4)
    client.force_login(editor)

    html = client.get(
        reverse("wagtailsnippets_quizzes_checkpoint:edit", args=[checkpoint.pk])
    ).text

    assert 'data-question-bank="too-small"' in html


def test_open_attempt_is_untouched_by_review_options(client, learner, checkpoint):
    attempt = attempt_start(checkpoint=checkpoint, user=learner, rng=seeded(1))
    client.force_login(learner)

    html = review_html(client, attempt)

    assert attempt.state == Attempt.State.OPEN
    assert "の解説" not in html
