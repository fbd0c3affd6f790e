"""The queuing view recorder: the lesson page keeps its view event in the
process and the events are written in batches, by size, by age and when the
process exits cleanly; the beacon and 「読み終えました」 still find the view."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from analytics.models import LessonView
from analytics.recorders import BufferedViewRecorder, get_view_recorder
from analytics.services import new_view_id
from tests.factories import make_lesson, make_series
from tests.processes import child_database_url, manage, wait_until

BUFFERED = "analytics.recorders.BufferedViewRecorder"


@pytest.fixture
def buffered(settings):
    """Batches larger and waits longer than any test: only a flush writes."""
    settings.GOFUN_VIEW_RECORDER = {
        "BACKEND": BUFFERED,
        "OPTIONS": {"batch_size": 1000, "max_wait_seconds": 3600},
    }
    recorder = get_view_recorder()
    yield recorder
    recorder.flush()


def a_view(*, lesson, user) -> LessonView:
    """A view event as the lesson page makes it, not yet kept anywhere."""
    now = timezone.now()
    return LessonView(
        id=new_view_id(now=now),
        user_id=user.pk,
        lesson_id=lesson.pk,
        revision_id=lesson.live_revision_id,
        started_at=now,
        slide_count=lesson.slide_count,
        role_ids="",
    )


@pytest.fixture
def lesson(db):
    return make_lesson(series=make_series(slug="recorded"), slides=3)


@pytest.mark.django_db
def test_the_page_is_served_before_its_view_event_is_written(
    client, learner, lesson, buffered
):
    client.force_login(learner)

    assert client.get(lesson.url).status_code == 200

    assert buffered.pending() == 1
    assert not LessonView.objects.exists()
    assert buffered.flush() == 1
    view = LessonView.objects.get()
    assert (view.user_id, view.lesson_id) == (learner.pk, lesson.pk)
    assert view.revision_id == lesson.live_revision_id


@pytest.mark.django_db
def test_a_full_batch_is_written_in_one_go(learner, lesson):
    recorder = BufferedViewRecorder(batch_size=3, max_wait_seconds=3600)
    views = [a_view(lesson=lesson, user=learner) for _ in range(3)]
    try:
        for view in views[:2]:
            recorder.record(view)
        assert recorder.pending() == 2
        assert not LessonView.objects.exists()
        recorder.record(views[2])
    finally:
        recorder.close()

    assert recorder.pending() == 0
    assert set(LessonView.objects.values_list("pk", flat=True)) == {
        view.pk for view in views
    }


@pytest.mark.django_db
def test_a_batch_with_a_taken_id_keeps_the_other_events(learner, lesson, buffered):
    taken = a_view(lesson=lesson, user=learner)
    buffered.record(taken)
    buffered.flush()
    other = a_view(lesson=lesson, user=learner)
    buffered.record(other)
    buffered.record(taken)  # the same id again

    assert buffered.flush() == 1
    assert set(LessonView.objects.values_list("pk", flat=True)) == {
        taken.pk,
        other.pk,
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_events_that_wait_too_long_are_written_by_the_background_thread(
    learner, lesson
):
    recorder = BufferedViewRecorder(batch_size=1000, max_wait_seconds=0.2)
    try:
        recorder.record(a_view(lesson=lesson, user=learner))
        wait_until(
            lambda: LessonView.objects.exists(),
            timeout=30,
            message="the background thread did not write the waiting event",
        )
        assert recorder.pending() == 0
    finally:
        recorder.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_clean_exit_writes_what_the_process_still_holds(learner, lesson):
    code = (
        "from django.conf import settings\n"
        "settings.GOFUN_VIEW_RECORDER = {'BACKEND': '" + BUFFERED + "', "
        "'OPTIONS': {'batch_size': 1000, 'max_wait_seconds': 3600}}\n"
        "from django.contrib.auth import get_user_model\n"
        "from learning_series.models import LessonPage\n"
        "from analytics.recorders import get_view_recorder\n"
        "from analytics.services import lesson_view_start\n"
        f"lesson = LessonPage.objects.get(pk={lesson.pk})\n"
        f"user = get_user_model().objects.get(pk={learner.pk})\n"
        "for _ in range(5):\n"
        "    lesson_view_start(lesson=lesson, series=None, user=user)\n"
        "print('pending', get_view_recorder().pending())\n"
    )

    result = manage(
        "shell",
        "-c",
        code,
        environment={
            "DJANGO_SETTINGS_MODULE": "cms.settings.test",
            "DATABASE_URL": child_database_url(),
        },
    )

    assert result.returncode == 0, result.stderr
    assert "pending 5" in result.stdout
    assert LessonView.objects.filter(lesson=lesson, user=learner).count() == 5


@pytest.mark.django_db
def test_the_beacon_and_reading_to_the_end_find_a_queued_view(
    client, learner, lesson, buffered
):
    client.force_login(learner)
    html = client.get(lesson.url).content.decode()
    token = re.search(r'data-view="([^"]+)"', html).group(1)
    assert buffered.pending() == 1

    report = client.post(
        reverse("analytics:beacon"),
        {
            "view": token,
            "lesson": str(lesson.pk),
            "furthest": "3",
            "through": "3",
            "seconds": "60",
        },
    )
    assert report.status_code == 204
    assert LessonView.objects.get().read_through_slide == 3

    client.post(reverse("training:lesson_read", args=[lesson.pk]))
    assert learner.completion_records.filter(lesson=lesson).exists()
