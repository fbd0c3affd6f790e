"""Titles broken at Japanese phrase boundaries (BudouX): escaped, cached, shown."""

import re

import pytest
from django.template import Context, Template
from django.utils.safestring import mark_safe

from learning_series import selectors
from learning_series.phrases import phrase_break_html
from tests.factories import make_lesson, make_series

WRAPPER = re.compile(r'^<span class="phrases" lang="ja">(.*)</span>$')


def phrases_of(html: str) -> list[str]:
    return WRAPPER.match(html).group(1).split("<wbr>")


def test_a_title_gets_a_break_hint_between_phrases_only():
    html = phrase_break_html("パスワードの使い方入門")

    phrases = phrases_of(html)
    assert "".join(phrases) == "パスワードの使い方入門"
    assert len(phrases) >= 2
    # Never inside a word, as the browser's own line breaking does.
    assert not any(phrase.endswith(("使い", "入")) for phrase in phrases)


def test_markup_in_a_title_is_escaped_never_passed_through():
    title = '<script>alert(1)</script>標的型メール"><img src=x onerror=alert(2)>&amp;'

    html = phrase_break_html(title)

    inner = WRAPPER.match(html).group(1)
    assert "<" not in inner.replace("<wbr>", "")
    assert "&lt;script&gt;" in inner
    assert "&quot;&gt;&lt;img" in inner.replace("<wbr>", "")
    assert "&amp;amp;" in inner.replace("<wbr>", "")


def test_a_title_marked_safe_is_still_escaped_by_the_filter():
    template = Template("{% load learning_series_tags %}{{ title|phrase_breaks }}")

    html = template.render(Context({"title": mark_safe("<b>太字</b>の使い方")}))

    assert "<b>" not in html
    assert "&lt;b&gt;" in html.replace("<wbr>", "")


def test_an_empty_title_gives_nothing():
    assert phrase_break_html("") == ""
    assert phrase_break_html("   ") == ""


@pytest.mark.django_db
def test_lesson_and_slide_titles_carry_phrase_hints(client, learner):
    lesson = make_lesson(
        series=make_series(slug="mail"), title="標的型メールの見分け方と報告の手順"
    )
    client.force_login(learner)

    html = client.get(lesson.url).text

    title = re.search(r'<h1 id="lesson-title"[^>]*>(.*?)</h1>', html).group(1)
    assert title == str(phrase_break_html("標的型メールの見分け方と報告の手順"))
    assert "<wbr>" in title
    slide_title = re.search(r'<h2 id="slide-1-title"[^>]*>(.*?)</h2>', html).group(1)
    assert slide_title == str(phrase_break_html("スライド1"))


@pytest.mark.django_db
def test_phrase_hints_are_cached_with_the_rendered_slides(client, learner, monkeypatch):
    lesson = make_lesson(series=make_series(slug="mail"), title="使い方入門", slides=2)
    client.force_login(learner)
    client.get(lesson.url)

    def must_not_run(text):
        raise AssertionError("phrases computed again for a cached revision")

    monkeypatch.setattr(selectors, "phrase_break_html", must_not_run)
    html = client.get(lesson.url).text

    assert str(phrase_break_html("使い方入門")) in html


@pytest.mark.django_db
def test_a_new_title_is_shown_at_once(client, learner):
    lesson = make_lesson(series=make_series(slug="mail"), title="古いタイトル")
    client.force_login(learner)
    client.get(lesson.url)

    lesson.title = "新しいタイトルの付け方"
    lesson.save_revision().publish()

    html = client.get(lesson.url).text
    assert str(phrase_break_html("新しいタイトルの付け方")) in html


@pytest.mark.django_db
def test_series_cards_and_series_titles_carry_phrase_hints(client, learner):
    series = make_series(title="標的型メール攻撃の脅威と対策", slug="mail")
    make_lesson(series=series, title="添付ファイルの見分け方")
    client.force_login(learner)
    hinted_series = str(phrase_break_html("標的型メール攻撃の脅威と対策"))

    home = client.get("/").text
    series_page = client.get(series.url).text

    assert f">{hinted_series}</a></h3>" in home
    assert f">{hinted_series}</h1>" in series_page
    assert str(phrase_break_html("添付ファイルの見分け方")) in series_page
