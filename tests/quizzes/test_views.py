"""Taking a checkpoint through the pages, without JavaScript."""

import re

import pytest
from django.urls import reverse

from analytics.models import LessonView
from quizzes.models import Attempt
from tests.factories import StaffProfileFactory, make_lesson, make_series
from training.models import CompletionRecord

from .conftest import as_form, right_answers, wrong_answers

pytestmark = pytest.mark.django_db

INPUT = re.compile(r"<input[^>]*name=\"question-\d+\"[^>]*>")


def start_through_page(client, checkpoint):
    response = client.post(reverse("quizzes:attempt_start", args=[checkpoint.pk]))
    assert response.status_code == 302
    return Attempt.objects.latest("pk")


@pytest.fixture
def signed_in(client, learner):
    client.force_login(learner)
    return client


def test_lesson_page_offers_the_checkpoint(signed_in, checkpoint):
    response = signed_in.get(checkpoint.lesson.url)

    assert "チェックポイントを始める" in response.content.decode()


def test_open_attempt_page_looks_the_same_for_right_and_wrong_choices(
    signed_in, checkpoint
):
    attempt = start_through_page(signed_in, checkpoint)

    html = signed_in.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()

    for question in attempt.questions.all():
        inputs = re.findall(
            rf"<input[^>]*name=\"question-{question.position}\"[^>]*>", html
        )
        assert len(inputs) == len(question.choice_keys)
        # With the position numbers taken out, every choice's markup is identical.
        shapes = {re.sub(r"\d+", "N", markup) for markup in inputs}
        assert len(shapes) == 1
        labels = re.findall(rf"<label for=\"question-{question.position}-\d+\">", html)
        assert len(labels) == len(question.choice_keys)
        for key in question.choice_keys:
            assert key not in html
    assert "correct" not in html.lower()
    assert "解説" not in html


def test_submitting_through_the_page_shows_score_and_explanations(
    signed_in, checkpoint
):
    attempt = start_through_page(signed_in, checkpoint)

    response = signed_in.post(
        reverse("quizzes:attempt_submit", args=[attempt.pk]),
        as_form(right_answers(attempt)),
        follow=True,
    )

    html = response.content.decode()
    assert "合格" in html
    assert "3 問中 3 問正解" in html
    assert "選択肢0の解説" in html or "正しいの解説" in html or "選択肢Aの解説" in html


def test_score_and_correctness_sent_by_the_client_are_ignored(signed_in, checkpoint):
    attempt = start_through_page(signed_in, checkpoint)
    form = as_form(wrong_answers(attempt)) | {
        "score": "3",
        "percent": "100",
        "passed": "1",
        "correct": ["0", "1", "2"],
    }

    signed_in.post(reverse("quizzes:attempt_submit", args=[attempt.pk]), form)

    attempt.refresh_from_db()
    assert (attempt.score, attempt.passed) == (0, False)


def test_malformed_answer_field_is_refused_with_a_message(signed_in, checkpoint):
    attempt = start_through_page(signed_in, checkpoint)

    response = signed_in.post(
        reverse("quizzes:attempt_submit", args=[attempt.pk]),
        {"question-0": "first"},
        follow=True,
    )

    assert "送信された解答がこの受験と一致しません" in response.content.decode()
    assert Attempt.objects.get().state == "open"


def test_another_learners_attempt_is_not_found(client, checkpoint, learner):
    client.force_login(learner)
    attempt = start_through_page(client, checkpoint)
    client.force_login(StaffProfileFactory(user__username="other").user)

    page = client.get(reverse("quizzes:attempt", args=[attempt.pk]))
    submit = client.post(
        reverse("quizzes:attempt_submit", args=[attempt.pk]),
        as_form(right_answers(attempt)),
    )

    assert (page.status_code, submit.status_code) == (404, 404)
    assert Attempt.objects.get().state == "open"


def test_double_submit_through_the_page_grades_once(signed_in, checkpoint):
    attempt = start_through_page(signed_in, checkpoint)
    url = reverse("quizzes:attempt_submit", args=[attempt.pk])

    signed_in.post(url, as_form(right_answers(attempt)))
    response = signed_in.post(url, as_form(wrong_answers(attempt)), follow=True)

    attempt.refresh_from_db()
    assert attempt.passed
    assert CompletionRecord.objects.count() == 1
    assert "既に提出されています" in response.content.decode()


def test_lesson_without_checkpoint_is_completed_by_reading_to_the_end(signed_in):
    lesson = make_lesson(series=make_series())
    page = signed_in.get(lesson.url).content.decode()
    assert "読み終えました" in page
    LessonView.objects.update(furthest_slide=3, read_through_slide=3)

    signed_in.post(reverse("training:lesson_read", args=[lesson.pk]))
    signed_in.post(reverse("training:lesson_read", args=[lesson.pk]))

    record = CompletionRecord.objects.get()
    assert (record.kind, record.lesson_id) == ("read_to_end", lesson.pk)
    assert record.page_revision_id == lesson.live_revision_id


def test_lesson_with_checkpoint_is_not_completed_by_reading(signed_in, checkpoint):
    signed_in.post(reverse("training:lesson_read", args=[checkpoint.lesson_id]))

    assert not CompletionRecord.objects.exists()


def test_reading_needs_a_post(signed_in):
    lesson = make_lesson(series=make_series())

    response = signed_in.get(reverse("training:lesson_read", args=[lesson.pk]))

    assert response.status_code == 405


def test_learner_sees_only_their_own_records(client, learner):
    lesson = make_lesson(series=make_series())
    other = StaffProfileFactory(user__username="other").user
    CompletionRecord.objects.create(kind="read_to_end", user=other, lesson=lesson)
    mine = make_lesson(series=make_series(title="別のシリーズ"), title="自分の教材")
    CompletionRecord.objects.create(kind="read_to_end", user=learner, lesson=mine)
    client.force_login(learner)

    html = client.get(reverse("training:transcript")).content.decode()

    assert "自分の教材" in html
    assert html.count("<tr>") == 2  # the heading and one record
