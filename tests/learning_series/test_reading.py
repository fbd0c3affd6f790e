"""Reading time: Japanese counted in characters, held to a five-minute budget."""

import pytest
from django.urls import reverse

from learning_series.reading import (
    CHARACTERS_PER_MINUTE,
    reading_minutes,
    reading_seconds,
    visible_characters,
)
from tests.factories import make_lesson, make_series
from tests.learning_series.test_workflow import edit_form


def test_markdown_syntax_and_link_targets_are_not_read():
    text = "# 見出し\n\n- **重要**な[リンク](https://example.go.jp/very/long/path)\n"

    assert visible_characters(text) == len("見出し重要なリンク")


def test_table_rules_and_comments_are_not_read():
    text = "| 項目 | 内容 |\n| --- | --- |\n| VPN | 必須 |\n<!-- ノート -->"

    assert visible_characters(text) == len("項目内容VPN必須")


def test_a_minute_is_the_chosen_number_of_characters():
    slides = [{"title": "", "body": "あ" * CHARACTERS_PER_MINUTE}]

    assert CHARACTERS_PER_MINUTE == 500
    assert reading_seconds(slides) == 60


def test_speaker_notes_do_not_count():
    assert reading_seconds([{"title": "題", "body": "", "notes": "あ" * 5000}]) == 1


@pytest.mark.parametrize(
    ("seconds", "minutes"), [(0, 1), (59, 1), (60, 1), (61, 2), (301, 6)]
)
def test_minutes_shown_are_rounded_up_and_at_least_one(seconds, minutes):
    assert reading_minutes(seconds) == minutes


def long_lesson(owner):
    lesson = make_lesson(series=make_series(), owner=owner, live=False, slides=6)
    lesson.slides = [
        ("slide", {**block["value"], "body": "長" * 600})
        for block in lesson.slides.raw_data
    ]
    lesson.save_revision(user=owner)
    return lesson


@pytest.mark.django_db
def test_lesson_past_the_budget_is_flagged(author):
    lesson = long_lesson(author).get_latest_revision_as_object()

    assert lesson.reading_minutes == 8
    assert lesson.over_reading_budget


@pytest.mark.django_db
def test_editor_sees_a_warning_on_a_lesson_past_the_budget(client, editor, author):
    lesson = long_lesson(author)
    client.force_login(editor)

    html = client.get(reverse("wagtailadmin_pages:edit", args=[lesson.pk])).text

    assert 'data-reading-time="over-budget"' in html
    assert "約8分かかり、目安の5分を超えています" in html


@pytest.mark.django_db
def test_lesson_within_the_budget_shows_no_warning(client, editor, author):
    lesson = make_lesson(series=make_series(), owner=author, live=False)
    client.force_login(editor)

    html = client.get(reverse("wagtailadmin_pages:edit", args=[lesson.pk])).text

    assert 'data-reading-time="within-budget"' in html
    shown = html.split("data-reading-time-output>")[1].split("</p>")[0]
    assert "目安の5分を超えています" not in shown
    assert "約1分で読めます" in shown


@pytest.mark.django_db
def test_saving_a_long_lesson_warns_but_does_not_block(client, author):
    lesson = long_lesson(author)
    revisions = lesson.revisions.count()
    client.force_login(author)

    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[lesson.pk]),
        edit_form(lesson.get_latest_revision_as_object(), "save"),
        follow=True,
    )

    assert response.status_code == 200
    assert lesson.revisions.count() == revisions + 1
    messages = [str(message) for message in response.context["messages"]]
    assert any("目安の5分を超えています" in message for message in messages), messages
