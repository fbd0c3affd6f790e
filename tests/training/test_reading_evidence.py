"""Reading to the end asks another app for evidence, and refuses without it."""

import pytest

from tests.factories import make_lesson, make_series, record_reading
from training import reading_evidence
from training.models import CompletionRecord
from training.services import TrainingError, completion_record_read_to_end

pytestmark = pytest.mark.django_db


def test_with_no_evidence_provider_reading_to_the_end_is_refused(learner, monkeypatch):
    lesson = make_lesson(series=make_series(slug="closed-fail"))
    record_reading(lesson=lesson, user=learner)
    monkeypatch.setattr(reading_evidence.hooks, "get_hooks", lambda name: [])

    with pytest.raises(TrainingError, match="確認できない"):
        completion_record_read_to_end(lesson=lesson, user=learner)
    assert not CompletionRecord.objects.exists()


def test_a_provider_that_confirms_the_reading_lets_it_be_recorded(learner, monkeypatch):
    lesson = make_lesson(series=make_series(slug="confirmed"))
    monkeypatch.setattr(
        reading_evidence.hooks,
        "get_hooks",
        lambda name: [lambda lesson, user: "まだです", lambda lesson, user: None],
    )

    record = completion_record_read_to_end(lesson=lesson, user=learner)

    assert record.kind == CompletionRecord.Kind.READ_TO_END


def test_the_first_providers_reason_is_given(learner, monkeypatch):
    lesson = make_lesson(series=make_series(slug="reasons"))
    monkeypatch.setattr(
        reading_evidence.hooks,
        "get_hooks",
        lambda name: [lambda lesson, user: "最後まで読んでください"],
    )

    with pytest.raises(TrainingError, match="最後まで読んでください"):
        completion_record_read_to_end(lesson=lesson, user=learner)
