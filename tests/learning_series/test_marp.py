"""Reading Marp-style Markdown decks."""

import pytest

from learning_series.marp import MarpError, parse_deck

DECK = """---
title: パスワードの適切な使い方
summary: 使い回しをやめる
tags: [パスワード, 多要素認証]
---

# なぜ使い回しが危ないのか

- 一つ漏れると**すべて**が危ない

<!-- 事例を一つ話す -->

---

## 多要素認証

本文
"""


def test_front_matter_and_slides_are_read():
    deck = parse_deck(DECK)

    assert deck.title == "パスワードの適切な使い方"
    assert deck.summary == "使い回しをやめる"
    assert deck.tags == ["パスワード", "多要素認証"]
    assert [slide.title for slide in deck.slides] == [
        "なぜ使い回しが危ないのか",
        "多要素認証",
    ]


def test_html_comments_become_speaker_notes_not_body():
    slide = parse_deck(DECK).slides[0]

    assert slide.notes == "事例を一つ話す"
    assert "<!--" not in slide.body
    assert slide.body == "- 一つ漏れると**すべて**が危ない"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("# no front matter", "フロントマターが必要です"),
        ("---\ntitle: [unclosed\n---\n# a", "正しい YAML ではありません"),
        ("---\nsummary: x\n---\n# a", "title がありません"),
        ("---\ntitle: t\n---\n\n", "スライドが1枚もありません"),
        ("---\ntitle: t\n---\njust text", "1 枚目のスライドにタイトルがありません"),
    ],
)
def test_unreadable_decks_say_what_is_wrong(text, message):
    with pytest.raises(MarpError, match=message):
        parse_deck(text)
