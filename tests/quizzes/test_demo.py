"""The demo checkpoints: Japanese question banks and attempts worth analysing."""

import pytest

from cms.demo import DemoReport
from learning_series.services import lesson_create_from_deck
from organisation.demo import simulated_staff_load
from quizzes.analysis import quiz_item_analysis
from quizzes.demo import quizzes_load
from quizzes.models import Checkpoint, Quiz
from tests.factories import DivisionFactory, PostFactory, make_deck, make_series

pytestmark = pytest.mark.django_db

STEMS = ["it-procurement-1", "passwords-1"]


@pytest.fixture
def demo_lessons(editor):
    DivisionFactory()
    PostFactory()
    series = make_series()
    for stem in STEMS:
        _, revision = lesson_create_from_deck(
            series=series, deck=make_deck(title=stem), owner=editor, slug=stem
        )
        revision.publish()
    simulated_staff_load(DemoReport())
    quizzes_load(DemoReport(), editor=editor)


def test_every_demo_lesson_gets_a_published_checkpoint(demo_lessons):
    checkpoints = Checkpoint.objects.select_related("lesson", "quiz")

    assert sorted(c.lesson.slug for c in checkpoints) == STEMS
    assert all(c.quiz.live for c in checkpoints)


def test_pjmo_are_asked_more_in_the_procurement_checkpoint(demo_lessons):
    checkpoint = Checkpoint.objects.get(lesson__slug="it-procurement-1")
    pjmo_draw = checkpoint.role_draws.get(role__code="pjmo")

    assert pjmo_draw.question_count > checkpoint.questions_per_attempt
    assert any("pjmo" in block.value["roles"] for block in checkpoint.quiz.questions)


def test_demo_item_analysis_flags_a_poor_question(demo_lessons):
    for quiz in Quiz.objects.all():
        statistics = quiz_item_analysis(quiz=quiz)
        assert statistics.attempts >= 40
        assert "poor_discrimination" in {
            flag for question in statistics.flagged for flag in question.flags
        }


def test_loading_the_demo_again_creates_nothing(demo_lessons, editor):
    report = DemoReport()

    quizzes_load(report, editor=editor)

    assert report.total == 0
