"""Grading from the stored answer key, and every refused submission."""

from datetime import timedelta

import pytest
from django.utils import timezone

from quizzes.models import Attempt, AttemptQuestion, Checkpoint
from quizzes.services import (
    AlreadyPassed,
    AttemptExpired,
    AttemptLimitReached,
    CheckpointUnavailable,
    SubmissionRejected,
    UnansweredQuestions,
    attempt_start,
    attempt_submit,
    checkpoint_as_taken,
    quiz_stream_data,
)
from tests.factories import UserFactory, make_series
from training.models import CompletionRecord

from .conftest import make_checkpoint, make_quiz, right_answers, seeded, wrong_answers

pytestmark = pytest.mark.django_db


def start(checkpoint, user, **options):
    return attempt_start(checkpoint=checkpoint, user=user, rng=seeded(7), **options)


def test_right_answers_pass_and_write_one_ledger_record(checkpoint, learner):
    attempt = start(checkpoint, learner)

    outcome = attempt_submit(
        attempt_id=attempt.pk, user=learner, answers=right_answers(attempt)
    )

    assert outcome.graded_now
    assert (outcome.attempt.score, outcome.attempt.passed) == (3, True)
    record = CompletionRecord.objects.get()
    assert record.kind == "quiz_passed"
    assert record.attempt == outcome.attempt
    assert record.lesson_id == checkpoint.lesson_id
    assert record.page_revision_id == checkpoint.lesson.live_revision_id


def test_wrong_answers_fail_and_write_no_record(checkpoint, learner):
    attempt = start(checkpoint, learner)

    outcome = attempt_submit(
        attempt_id=attempt.pk, user=learner, answers=wrong_answers(attempt)
    )

    assert (outcome.attempt.score, outcome.attempt.passed) == (0, False)
    assert not CompletionRecord.objects.exists()


def test_multiple_choice_needs_exactly_the_right_set(learner):
    quiz = make_quiz(
        questions=[
            {
                "text": "すべて選べ",
                "kind": "multiple",
                "roles": [],
                "choices": [
                    {"text": "A", "correct": True, "explanation": ""},
                    {"text": "B", "correct": True, "explanation": ""},
                    {"text": "C", "correct": False, "explanation": ""},
                ],
            }
        ]
    )
    checkpoint = make_checkpoint(quiz=quiz, questions_per_attempt=1)
    attempt = start(checkpoint, learner)
    question = attempt.questions.get()
    one_right = [question.choice_keys.index(question.correct_keys[0])]

    outcome = attempt_submit(
        attempt_id=attempt.pk, user=learner, answers={0: one_right}
    )

    assert outcome.attempt.score == 0


def test_second_submission_returns_the_first_result_unchanged(checkpoint, learner):
    attempt = start(checkpoint, learner)
    attempt_submit(attempt_id=attempt.pk, user=learner, answers=wrong_answers(attempt))

    outcome = attempt_submit(
        attempt_id=attempt.pk, user=learner, answers=right_answers(attempt)
    )

    assert not outcome.graded_now
    assert (outcome.attempt.score, outcome.attempt.passed) == (0, False)
    assert Attempt.objects.get().score == 0


def test_answer_for_a_question_not_drawn_is_refused(checkpoint, learner):
    attempt = start(checkpoint, learner)
    answers = right_answers(attempt) | {3: [0]}

    with pytest.raises(SubmissionRejected):
        attempt_submit(attempt_id=attempt.pk, user=learner, answers=answers)

    assert Attempt.objects.get().state == "open"
    assert not AttemptQuestion.objects.filter(is_correct__isnull=False).exists()


def test_choice_outside_the_question_is_refused(checkpoint, learner):
    attempt = start(checkpoint, learner)

    with pytest.raises(SubmissionRejected):
        attempt_submit(attempt_id=attempt.pk, user=learner, answers={0: [9]})

    assert Attempt.objects.get().state == "open"


def test_two_answers_to_a_single_choice_question_are_refused(learner):
    quiz = make_quiz(
        questions=[
            {
                "text": "一つ選べ",
                "kind": "single",
                "roles": [],
                "choices": [
                    {"text": t, "correct": t == "A", "explanation": ""} for t in "ABC"
                ],
            }
        ]
    )
    checkpoint = make_checkpoint(quiz=quiz, questions_per_attempt=1)
    attempt = start(checkpoint, learner)

    with pytest.raises(SubmissionRejected):
        attempt_submit(attempt_id=attempt.pk, user=learner, answers={0: [0, 1, 2]})

    assert Attempt.objects.get().state == "open"


def test_another_learners_attempt_is_not_found(checkpoint, learner):
    attempt = start(checkpoint, learner)
    intruder = UserFactory(username="intruder")

    with pytest.raises(Attempt.DoesNotExist):
        attempt_submit(
            attempt_id=attempt.pk, user=intruder, answers=right_answers(attempt)
        )

    assert Attempt.objects.get().state == "open"


def test_submission_after_the_time_limit_is_refused_and_expires(learner):
    checkpoint = make_checkpoint(time_limit_minutes=5)
    started = timezone.now() - timedelta(minutes=6)
    attempt = start(checkpoint, learner, now=started)

    with pytest.raises(AttemptExpired):
        attempt_submit(
            attempt_id=attempt.pk, user=learner, answers=right_answers(attempt)
        )

    attempt.refresh_from_db()
    assert (attempt.state, attempt.score, attempt.passed) == ("expired", None, None)
    assert not CompletionRecord.objects.exists()


def test_submission_within_the_time_limit_is_graded(learner):
    checkpoint = make_checkpoint(time_limit_minutes=5)
    attempt = start(checkpoint, learner, now=timezone.now() - timedelta(minutes=4))

    outcome = attempt_submit(
        attempt_id=attempt.pk, user=learner, answers=right_answers(attempt)
    )

    assert outcome.attempt.passed


def test_attempt_limit_refuses_another_attempt(learner):
    checkpoint = make_checkpoint(attempt_limit=2)
    for _ in range(2):
        attempt = start(checkpoint, learner)
        attempt_submit(
            attempt_id=attempt.pk, user=learner, answers=wrong_answers(attempt)
        )

    with pytest.raises(AttemptLimitReached):
        start(checkpoint, learner)

    assert Attempt.objects.count() == 2


def test_submission_beyond_a_lowered_attempt_limit_is_refused(learner):
    checkpoint = make_checkpoint(attempt_limit=3)
    first = start(checkpoint, learner)
    attempt_submit(attempt_id=first.pk, user=learner, answers=wrong_answers(first))
    second = start(checkpoint, learner)
    checkpoint.attempt_limit = 1
    checkpoint.save()

    with pytest.raises(AttemptLimitReached):
        attempt_submit(
            attempt_id=second.pk, user=learner, answers=right_answers(second)
        )

    assert Attempt.objects.get(pk=second.pk).state == "open"


def test_starting_twice_resumes_the_open_attempt(checkpoint, learner):
    first = start(checkpoint, learner)

    assert start(checkpoint, learner) == first


def test_no_new_attempt_after_a_pass(checkpoint, learner):
    attempt = start(checkpoint, learner)
    attempt_submit(attempt_id=attempt.pk, user=learner, answers=right_answers(attempt))

    with pytest.raises(AlreadyPassed):
        start(checkpoint, learner)


def test_unpublished_quiz_cannot_be_started(learner):
    checkpoint = make_checkpoint(quiz=make_quiz(live=False))

    with pytest.raises(CheckpointUnavailable):
        start(checkpoint, learner)


def test_editing_the_quiz_does_not_change_an_open_attempts_grading(checkpoint, learner):
    attempt = start(checkpoint, learner)
    answers = right_answers(attempt)
    quiz = checkpoint.quiz
    data = quiz_stream_data("test", [])
    flipped = []
    for block in quiz.questions.raw_data:
        for item in block["value"]["choices"]:
            item["value"]["correct"] = not item["value"]["correct"]
        flipped.append(block)
    quiz.questions = flipped or data
    quiz.save_revision().publish()

    outcome = attempt_submit(attempt_id=attempt.pk, user=learner, answers=answers)

    assert outcome.attempt.score == 3


def test_passing_a_series_checkpoint_records_the_series_and_its_revision(learner):
    series = make_series(title="シリーズ末テスト", slug="series-end")
    series.save_revision().publish()
    series.refresh_from_db()
    checkpoint = Checkpoint.objects.create(
        series=series, quiz=make_quiz(), questions_per_attempt=3, pass_mark=60
    )
    attempt = start(checkpoint, learner)

    attempt_submit(attempt_id=attempt.pk, user=learner, answers=right_answers(attempt))

    record = CompletionRecord.objects.get()
    assert (record.series_id, record.lesson_id) == (series.pk, None)
    assert record.page_revision_id == series.live_revision_id


def test_unanswered_questions_are_refused_ungraded_unless_allowed(checkpoint, learner):
    attempt = start(checkpoint, learner)
    answers = right_answers(attempt)
    left_out = max(answers)
    del answers[left_out]

    with pytest.raises(UnansweredQuestions) as returned:
        attempt_submit(
            attempt_id=attempt.pk,
            user=learner,
            answers=answers,
            allow_unanswered=False,
        )
    attempt.refresh_from_db()
    assert returned.value.positions == [left_out]
    assert attempt.state == Attempt.State.OPEN

    outcome = attempt_submit(attempt_id=attempt.pk, user=learner, answers=answers)

    assert outcome.graded_now
    assert outcome.attempt.score == 2


def test_submission_reads_and_writes_in_a_fixed_number_of_queries(
    checkpoint, learner, django_assert_max_num_queries
):
    attempt = start(checkpoint, learner)
    answers = right_answers(attempt)

    # The lock (PostgreSQL), the attempt with its checkpoint, page and
    # version, the visibility rule (two), the questions, the claim, the
    # answers, the ledger row; and the savepoint around it in a test.
    with django_assert_max_num_queries(10):
        outcome = attempt_submit(attempt_id=attempt.pk, user=learner, answers=answers)

    assert outcome.graded_now and outcome.attempt.passed


def test_the_version_taken_under_is_read_from_the_attempts_revision(
    checkpoint, learner, editor, django_assert_num_queries
):
    attempt = start(checkpoint, learner)
    checkpoint.pass_mark = 1
    checkpoint.save_revision(user=editor).publish(user=editor)
    attempt = Attempt.objects.select_related("checkpoint", "checkpoint_revision").get(
        pk=attempt.pk
    )

    with django_assert_num_queries(0):
        taken = checkpoint_as_taken(attempt)

    expected = attempt.checkpoint_revision.as_object()
    assert (taken.pk, taken.pass_mark, taken.quiz_id, taken.lesson_id) == (
        expected.pk,
        expected.pass_mark,
        expected.quiz_id,
        expected.lesson_id,
    )
    assert taken.pass_mark == 60
