"""Japanese content carries lang="ja" when the interface is English."""

import re

import pytest
from django.conf import settings

from tests.factories import make_lesson, make_series

pytestmark = pytest.mark.django_db


@pytest.fixture
def english_learner(client, learner):
    client.force_login(learner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_series_page_marks_its_japanese_content(english_learner):
    series = make_series(title="標的型メール攻撃の脅威", slug="mail")
    series.save_revision().publish()
    make_lesson(series=series, title="添付ファイルに注意")

    # Titles carry phrase hints: <wbr> between phrases, in a span of their own.
    html = english_learner.get(series.url).content.decode().replace("<wbr>", "")
    phrases = r'(?:<span class="phrases" lang="ja">)?'

    assert '<html lang="en">' in html
    assert re.search(rf'<h1 lang="ja">\s*{phrases}標的型メール攻撃の脅威', html)
    assert re.search(rf'<a href="[^"]+" lang="ja">{phrases}添付ファイルに注意', html)
    # Interface text stays English, unmarked.
    assert "Lessons</h2>" in html


def test_search_results_mark_titles_and_snippets(
    english_learner, django_capture_on_commit_callbacks, settings
):
    # The index update runs inline as the lesson is published: this test is
    # about the results page, not the queue (tests/cms/test_worker.py).
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }
    series = make_series(title="情報セキュリティ", slug="security")
    series.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        make_lesson(series=series, title="添付ファイルに注意")

    html = english_learner.get("/search/", {"q": "添付"}).content.decode()

    assert re.search(
        r'<h3 class="card__title" lang="ja"><a [^>]*>添付ファイルに注意', html
    )
    assert '<p class="search-results__snippet" lang="ja">' in html


def test_lesson_page_marks_its_japanese_content(english_learner):
    series = make_series(title="標的型メール攻撃の脅威", slug="mail")
    lesson = make_lesson(series=series, title="添付ファイルに注意")

    html = english_learner.get(lesson.url).content.decode()

    assert '<html lang="en">' in html
    assert '<div class="slide__body" lang="ja">' in html
    assert re.search(r'<a href="[^"]+" lang="ja">標的型メール攻撃の脅威</a>', html)
    assert '<span class="phrases" lang="ja">' in html
    assert '<p class="lead" lang="ja">テスト用の教材</p>' in html
