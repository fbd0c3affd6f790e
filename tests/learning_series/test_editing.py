"""The lesson editor: reading time that says nothing misleading, the reviewer's
latest comment where the author edits, and checks editors see before
publishing."""

import html as html_lib
import json
import re

import pytest
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from learning_series.editing import lesson_publish_checks
from learning_series.marp import Deck, Slide
from learning_series.reading import STRIP_RULES, visible_characters
from learning_series.services import lesson_create_from_deck
from quizzes.models import Checkpoint
from tests.factories import make_lesson, make_series

from .test_workflow import submit_for_review

pytestmark = pytest.mark.django_db


def edit_page(client, user, lesson) -> str:
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[lesson.pk]))
    assert response.status_code == 200
    return response.content.decode()


def lesson_with(*, series, owner=None, slides) -> object:
    lesson, _ = lesson_create_from_deck(
        series=series, deck=Deck(title="確かめる教材", slides=slides), owner=owner
    )
    return lesson


def test_empty_lesson_does_not_claim_a_minute(client, author):
    lesson = lesson_with(series=make_series(), owner=author, slides=[])

    html = edit_page(client, author, lesson)

    assert 'data-reading-time="empty"' in html
    assert "スライドの文章はまだありません" in html
    assert "約1分" not in html


def test_editor_page_carries_the_live_estimate_with_the_servers_rules(client, author):
    lesson = make_lesson(series=make_series(), owner=author, live=False)

    html = edit_page(client, author, lesson)

    assert "learning_series/reading_time.js" in html
    raw = re.search(r'data-reading-time-config="([^"]+)"', html).group(1)
    config = json.loads(html_lib.unescape(raw))
    assert config["rules"] == [list(rule) for rule in STRIP_RULES]
    assert config["perMinute"] == 500
    assert "{minutes}" in config["messages"]["over"]["other"]


def test_the_shared_rules_are_the_ones_the_server_counts_with():
    text = "# 見出し\n\n- **強調**と[リンク](https://example.go.jp)\n<!-- 話す -->"

    assert visible_characters(text) == len("見出し強調とリンク")


def test_author_sees_the_reviewers_request_for_changes(client, author, editor):
    lesson = make_lesson(series=make_series(), owner=author, live=False)
    task_state = submit_for_review(client, author, lesson)
    task_state.reject(user=editor, comment="2枚目の図に説明を付けてください。")

    html = edit_page(client, author, lesson)

    assert "審査者から修正の依頼があります" in html
    assert "2枚目の図に説明を付けてください。" in html


def test_no_comment_panel_before_any_review(client, author):
    lesson = make_lesson(series=make_series(), owner=author, live=False)

    html = edit_page(client, author, lesson)

    assert "data-reviewer-comment" not in html


def test_editor_sees_checks_before_publishing(client, editor):
    image = get_image_model().objects.create(
        title="図", file=get_test_image_file("figure.png")
    )
    lesson = lesson_with(
        series=make_series(),
        slides=[
            Slide(title="長い", body="あ" * 3000),
            Slide(title="図", body="本文", image=image, image_alt=""),
        ],
    )

    html = edit_page(client, editor, lesson)

    checks = re.search(r"data-publish-checks>(.*?)</section>", html, re.S).group(1)
    assert "目安の5分を超えています" in checks
    assert "スライド 2: 画像に代替テキスト" in checks
    assert "チェックポイントがありません" in checks


def test_authors_do_not_get_the_publishing_checks(client, author):
    lesson = make_lesson(series=make_series(), owner=author, live=False)

    html = edit_page(client, author, lesson)

    assert "data-publish-checks" not in html


def test_a_series_checkpoint_counts_for_its_lessons(editor):
    series = make_series()
    lesson = make_lesson(series=series, live=False)
    quiz = _quiz()
    Checkpoint.objects.create(series=series, quiz=quiz)

    assert not [
        c for c in lesson_publish_checks(lesson=lesson) if "チェックポイント" in c
    ]


def test_described_picture_needs_no_alternative_text_check(editor):
    image = get_image_model().objects.create(
        title="図", file=get_test_image_file("figure.png"), description="手順の図"
    )
    lesson = lesson_with(
        series=make_series(),
        slides=[Slide(title="図", body="本文", image=image, image_alt="")],
    )

    assert not [c for c in lesson_publish_checks(lesson=lesson) if "代替" in c]


def _quiz():
    from quizzes.models import Quiz

    return Quiz.objects.create(title="確認テスト", live=True)
