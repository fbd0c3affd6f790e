"""Honest completion: 「読み終えました」 counts only after the reading happened."""

import datetime

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from analytics.models import LessonView
from analytics.services import view_token
from learning_series.marp import Deck, Slide
from learning_series.services import lesson_create_from_deck
from tests.factories import make_series
from training.models import CompletionRecord
from training.services import TrainingError, completion_record_read_to_end

from .conftest import make_view

pytestmark = pytest.mark.django_db

BODY = "標的型メールは、業務に関係がありそうな件名で届きます。" * 8  # ~200 characters


@pytest.fixture
def lesson():
    """Five slides, about two minutes to read (a third of it: 40 seconds)."""
    deck = Deck(
        title="標的型メールの見分け方",
        slides=[Slide(title=f"スライド{n}", body=BODY) for n in range(1, 6)],
    )
    page, revision = lesson_create_from_deck(
        series=make_series(slug="honest"), deck=deck, owner=None
    )
    revision.publish()
    page.refresh_from_db()
    assert page.reading_seconds >= 100
    return page


def press_read_to_end(client, lesson):
    return client.post(reverse("training:lesson_read", args=[lesson.pk]), follow=True)


def beacon(client, html: str, lesson, *, furthest: int, through: int):
    view = LessonView.objects.filter(lesson=lesson).latest("started_at")
    assert view_token(view=view)[:20] in html
    return client.post(
        reverse("analytics:beacon"),
        {
            "view": view_token(view=view),
            "lesson": str(lesson.pk),
            "furthest": str(furthest),
            "through": str(through),
            "seconds": "1",
        },
    )


def test_on_the_first_slide_a_second_after_opening_it_is_refused(
    client, learner, lesson
):
    client.force_login(learner)
    html = client.get(lesson.url).text
    beacon(client, html, lesson, furthest=1, through=1)

    response = press_read_to_end(client, lesson)

    assert not CompletionRecord.objects.exists()
    assert "全 5 枚のうち 1 枚目まで読み進めています" in response.text
    assert "記録はしていません" in response.text


def test_posted_directly_without_any_view_it_is_refused(client, learner, lesson):
    client.force_login(learner)

    response = press_read_to_end(client, lesson)

    assert not CompletionRecord.objects.exists()
    assert "最後のスライドまで読んでください" in response.text


def test_a_second_after_opening_without_javascript_it_is_refused(
    client, learner, lesson
):
    client.force_login(learner)
    client.get(lesson.url)  # no beacon: a browser without JavaScript

    response = press_read_to_end(client, lesson)

    assert not CompletionRecord.objects.exists()
    assert "開いてからまだ間もありません" in response.text


def test_after_reaching_the_last_slide_it_is_recorded(client, learner, lesson):
    client.force_login(learner)
    html = client.get(lesson.url).text
    beacon(client, html, lesson, furthest=5, through=5)

    response = press_read_to_end(client, lesson)

    record = CompletionRecord.objects.get()
    assert (record.kind, record.user, record.lesson_id) == (
        "read_to_end",
        learner,
        lesson.pk,
    )
    assert record.page_revision_id == lesson.live_revision_id
    assert "この教材を修了しました" in response.text


def test_jumping_to_the_last_slide_without_reading_through_is_refused(
    client, learner, lesson
):
    client.force_login(learner)
    html = client.get(lesson.url).text
    beacon(client, html, lesson, furthest=5, through=1)  # End key, #checkpoint

    press_read_to_end(client, lesson)

    assert not CompletionRecord.objects.exists()


def test_without_javascript_a_third_of_the_reading_time_later_it_is_recorded(
    learner, lesson
):
    opened = timezone.now() - datetime.timedelta(seconds=lesson.reading_seconds / 3)
    make_view(lesson=lesson, user=learner, at=opened)

    record = completion_record_read_to_end(lesson=lesson, user=learner)

    assert record.kind == "read_to_end"


def test_without_javascript_just_short_of_a_third_it_is_refused(learner, lesson):
    opened = timezone.now() - datetime.timedelta(seconds=lesson.reading_seconds / 3 - 5)
    make_view(lesson=lesson, user=learner, at=opened)

    with pytest.raises(TrainingError):
        completion_record_read_to_end(lesson=lesson, user=learner)
    assert not CompletionRecord.objects.exists()


def test_a_view_that_reported_slides_never_counts_by_time_alone(learner, lesson):
    long_ago = timezone.now() - datetime.timedelta(hours=2)
    make_view(lesson=lesson, user=learner, at=long_ago, furthest=2, through=2)

    with pytest.raises(TrainingError):
        completion_record_read_to_end(lesson=lesson, user=learner)


def test_reading_an_earlier_revision_does_not_count(learner, lesson):
    make_view(lesson=lesson, user=learner, furthest=5, through=5)
    lesson.title = "標的型メールの見分け方（改訂）"
    lesson.save_revision().publish()
    lesson.refresh_from_db()

    with pytest.raises(TrainingError):
        completion_record_read_to_end(lesson=lesson, user=learner)


def test_someone_elses_reading_does_not_count(learner, lesson):
    from tests.factories import StaffProfileFactory

    other = StaffProfileFactory(user__username="reader").user
    make_view(lesson=lesson, user=other, furthest=5, through=5)

    with pytest.raises(TrainingError):
        completion_record_read_to_end(lesson=lesson, user=learner)


@override_settings(GOFUN_VIEW_LOGGING=False)
def test_with_view_logging_off_nothing_can_be_confirmed(learner, lesson):
    make_view(lesson=lesson, user=learner, furthest=5, through=5)

    with pytest.raises(TrainingError, match="閲覧を記録していない"):
        completion_record_read_to_end(lesson=lesson, user=learner)
