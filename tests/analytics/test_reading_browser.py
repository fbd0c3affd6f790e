"""Reading a lesson in Debian's Chromium against a live server: the view, the
beacon, 「読み終えました」 and `needs_report` (acceptance 1 and 2 end to end)."""

import json
import re
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from analytics.models import LessonView
from learning_series.services import lesson_import_markdown
from tests.browser import live_database, needs_chromium, screenshot
from tests.factories import StaffProfileFactory, make_series
from training.models import CompletionRecord

pytestmark = [needs_chromium, live_database]

BODY = "標的型メールは、業務に関係がありそうな件名で届きます。" * 6
DECK = "---\ntitle: 標的型メールの見分け方\n---\n" + "\n\n---\n\n".join(
    f"# スライド{number}の見出し\n\n{BODY}" for number in range(1, 5)
)


@pytest.fixture
def lesson(editor):
    return lesson_import_markdown(
        series=make_series(slug="mail"),
        owner=editor,
        source_name="mail-1.md",
        content=DECK,
        publish=True,
    )


def the_view(*, reached: int | None = None, attempts: int = 2400):
    """The one view in the log, once the beacon's report has landed (the
    browser sends it on its own; this waits for the row, not for a time:
    up to two minutes, for a loaded machine)."""
    for _ in range(attempts):
        views = list(LessonView.objects.all())
        if len(views) == 1 and (reached is None or views[0].furthest_slide == reached):
            return views[0]
        time.sleep(0.05)
    return LessonView.objects.get()


@pytest.mark.parametrize("device", ["phone", "laptop"])
def test_reading_to_the_last_slide_is_one_view_that_reached_it(
    visit, learner, lesson, device
):
    opened = visit(lesson.url, user=learner, device=device)
    page = opened.page
    for _ in range(3):
        page.get_by_role("button", name="次のスライド").click()

    view = the_view(reached=4)
    assert (view.user, view.lesson_id) == (learner, lesson.pk)
    assert (view.furthest_slide, view.read_through_slide) == (4, 4)
    assert view.revision_id == lesson.live_revision_id

    page.get_by_role("button", name="読み終えました").click()
    # The form waits for the beacon's last report, then the page reloads.
    expect(page.get_by_text("この教材を修了しました").first).to_be_visible(
        timeout=20_000
    )
    screenshot(page, f"analytics-{device}-read-to-end-recorded")

    assert CompletionRecord.objects.filter(user=learner, kind="read_to_end").exists()
    assert LessonView.objects.get(pk=view.pk).seconds_spent is not None
    assert opened.refused == []

    output = StringIO()
    call_command("needs_report", "--json", stdout=output)
    figures = json.loads(output.getvalue())
    assert figures["total_views"] == 2  # the lesson again, after the redirect
    assert figures["unique_viewers"] == 1
    [row] = figures["lessons"]
    assert row["title"] == "標的型メールの見分け方"
    assert row["views"] == 2


def test_read_to_end_a_moment_after_opening_is_refused_with_a_reason(
    visit, learner, lesson
):
    page = visit(lesson.url, user=learner, device="laptop").page
    # The form is at the end of the deck; a hurried reader jumps there.
    page.keyboard.press("End")

    page.get_by_role("button", name="読み終えました").click()

    expect(page.get_by_text("最後のスライドまで順に読んでから").first).to_be_visible()
    assert not CompletionRecord.objects.exists()
    view = LessonView.objects.order_by("started_at").first()
    assert view.furthest_slide == 4
    # Slides the jump scrolls past may be glimpsed on a slow machine; the
    # deck is still not read through.
    assert view.read_through_slide < 4


def test_without_javascript_the_view_counts_with_slide_and_time_unknown(
    visit, learner, lesson
):
    page = visit(lesson.url, user=learner, device="phone", javascript=False).page

    assert page.get_by_role("button", name="読み終えました").is_visible()
    view = the_view()
    assert (view.furthest_slide, view.seconds_spent) == (None, None)


def test_a_learners_beacon_for_someone_elses_view_is_refused(visit, learner, lesson):
    page = visit(lesson.url, user=learner, device="phone").page
    token = re.search(r'data-view="([^"]+)"', page.content()).group(1)
    other = StaffProfileFactory(user__username="someone-else").user
    client = Client()
    client.force_login(other)

    response = client.post(
        reverse("analytics:beacon"),
        {
            "view": token,
            "lesson": str(lesson.pk),
            "furthest": "4",
            "through": "4",
            "seconds": "300",
        },
    )

    assert response.status_code == 403
    assert LessonView.objects.get().read_through_slide in (None, 1)
