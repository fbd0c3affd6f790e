"""Markdown from authors is untrusted: nothing executable reaches a browser,
in slides, speaker notes, titles or the admin."""

import re

import pytest
from django.urls import reverse

from learning_series.services import lesson_import_markdown
from tests.factories import make_series

pytestmark = pytest.mark.django_db

HOSTILE_DECK = """---
title: "<script>alert('title')</script>危険な教材"
summary: "<img src=x onerror=alert('summary')>"
tags: ["<b onmouseover=alert(1)>tag</b>"]
---

# <img src=x onerror=alert('slide-title')>見出し

<script>alert('body')</script>

<a href="javascript:alert('href')" onclick="alert('click')">リンク</a>

[markdown link](javascript:alert('md'))

[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)

<div onmouseover="alert('div')" style="background:url(javascript:alert(1))">本文</div>

<iframe src="https://example.com/"></iframe>

<!-- ノート <script>alert('notes')</script>
[n](javascript:alert('n')) <b onclick=alert('nb')>x</b> -->

---

# 二枚目

| 表 | <span onclick="alert('cell')">セル</span> |
| --- | --- |
| a | [x](JaVaScRiPt:alert('mixed')) |
"""

EXECUTABLE = [
    re.compile(r"<script(?![^>]*\bsrc=\"/static/)", re.IGNORECASE),
    re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE),
    re.compile(
        r"(?:href|src|action|formaction)\s*=\s*\"?\s*(?:javascript|data):", re.I
    ),
    re.compile(r"<iframe", re.IGNORECASE),
    re.compile(r"<img[^>]+src=\"?x", re.IGNORECASE),
]


def executable_parts(html: str) -> list[str]:
    return [
        match.group(0) for pattern in EXECUTABLE for match in pattern.finditer(html)
    ]


@pytest.fixture
def hostile_lesson(editor):
    return lesson_import_markdown(
        series=make_series(slug="hostile"),
        owner=editor,
        source_name="hostile.md",
        content=HOSTILE_DECK,
        publish=True,
    )


def test_lesson_page_carries_nothing_executable(client, learner, hostile_lesson):
    client.force_login(learner)

    html = client.get(hostile_lesson.url).text

    assert executable_parts(html) == []
    assert "本文" in html
    assert "セル" in html
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;危険な教材" in html


def test_speaker_notes_carry_nothing_executable(client, learner, hostile_lesson):
    client.force_login(learner)

    html = client.get(hostile_lesson.url).text
    notes = re.search(r'<details class="slide__notes">(.*?)</details>', html, re.S)

    assert notes is not None
    assert "ノート" in notes.group(1)
    assert executable_parts(notes.group(1)) == []
    assert "javascript:" not in notes.group(1).lower()


def test_series_page_lists_the_lesson_title_escaped(client, learner, hostile_lesson):
    client.force_login(learner)

    html = client.get(hostile_lesson.get_parent().url).text

    title = "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;危険な教材"
    assert title in html.replace("<wbr>", "")  # hints between Japanese phrases
    assert executable_parts(html) == []


@pytest.mark.parametrize(
    "view_name", ["wagtailadmin_pages:edit", "wagtailadmin_pages:history"]
)
def test_admin_views_carry_nothing_executable(
    client, editor, hostile_lesson, view_name
):
    client.force_login(editor)

    html = client.get(reverse(view_name, args=[hostile_lesson.pk])).text

    assert "危険な教材" in html
    assert "<script>alert" not in html
    assert "<img src=x onerror" not in html
    assert "<b onmouseover" not in html


def test_admin_draft_preview_carries_nothing_executable(client, editor, hostile_lesson):
    client.force_login(editor)

    html = client.get(
        reverse("wagtailadmin_pages:view_draft", args=[hostile_lesson.pk])
    ).text

    assert "本文" in html
    assert executable_parts(html) == []
