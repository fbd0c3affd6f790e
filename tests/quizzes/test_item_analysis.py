"""Item analysis figures against a hand computation."""

import pytest

from quizzes.analysis import quiz_item_analysis
from quizzes.services import attempt_start, attempt_submit
from tests.factories import StaffProfileFactory

from .conftest import make_checkpoint, make_quiz, question, seeded

pytestmark = pytest.mark.django_db

THREE = [question("問1"), question("問2", right=1), question("問3", right=2)]


def sit(checkpoint, patterns):
    """One learner per pattern, in order, answering right where the pattern says 1."""
    for number, pattern in enumerate(patterns):
        user = StaffProfileFactory(user__username=f"taker{number}").user
        attempt = attempt_start(checkpoint=checkpoint, user=user, rng=seeded(number))
        texts = {block.id: block.value["text"] for block in checkpoint.quiz.questions}
        answers = {}
        for drawn in attempt.questions.all():
            right = pattern[int(texts[drawn.question_key][1]) - 1] == "1"
            keys = drawn.choice_keys
            pick = next(k for k in keys if (k in drawn.correct_keys) == right)
            answers[drawn.position] = [keys.index(pick)]
        attempt_submit(attempt_id=attempt.pk, user=user, answers=answers)


@pytest.fixture
def analysed():
    checkpoint = make_checkpoint(
        quiz=make_quiz(questions=THREE), questions_per_attempt=3, pass_mark=60
    )
    # Ranked by score, later attempt first on ties:
    # 111(2) 111(1) 110(6) | 101(4) 110(3) 001(8) | 100(7) 100(5) 000(9)
    sit(checkpoint, ["111", "111", "110", "101", "100", "110", "100", "001", "000"])
    return quiz_item_analysis(quiz=checkpoint.quiz)


def test_summary_matches_hand_computation(analysed):
    assert (analysed.attempts, analysed.passed) == (9, 5)
    assert analysed.distribution == [
        (0, 1), (10, 0), (20, 0), (30, 3), (40, 0),
        (50, 0), (60, 3), (70, 0), (80, 0), (90, 2),
    ]  # fmt: skip


def test_facility_matches_hand_computation(analysed):
    assert [(q.text, q.answers, q.correct) for q in analysed.questions] == [
        ("問1", 9, 7),
        ("問2", 9, 4),
        ("問3", 9, 4),
    ]
    assert analysed.questions[0].facility == pytest.approx(7 / 9)


def test_discrimination_matches_hand_computation(analysed):
    # Top third: 111, 111, 110; bottom third: 100, 100, 000.
    assert [q.discrimination for q in analysed.questions] == pytest.approx(
        [(3 - 2) / 3, (3 - 0) / 3, (2 - 0) / 3]
    )


def test_too_few_answers_are_not_flagged(analysed):
    assert analysed.flagged == []


def test_question_everyone_gets_right_is_flagged():
    checkpoint = make_checkpoint(
        quiz=make_quiz(questions=THREE), questions_per_attempt=3
    )
    sit(checkpoint, ["111", "110", "101", "100"] * 3)

    statistics = quiz_item_analysis(quiz=checkpoint.quiz)

    flags = {q.text: q.flags for q in statistics.questions}
    assert flags["問1"] == ("too_easy", "poor_discrimination")
    assert flags["問2"] == ()


def test_quiz_without_attempts_has_empty_figures():
    statistics = quiz_item_analysis(quiz=make_quiz(questions=THREE))

    assert (statistics.attempts, statistics.pass_rate) == (0, None)
    assert all(q.facility is None for q in statistics.questions)
