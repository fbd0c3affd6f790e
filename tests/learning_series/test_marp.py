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
        ("---\ntitle: [unclosed\n---\n# a", "正しい YAML ではありません"),
        ("---\n- a list\n---\n# a", "「キー: 値」の行で書いてください"),
        ("---\ntitle: t\n---\n\n", "スライドが1枚もありません"),
        ("just text", "タイトルがありません"),
    ],
)
def test_unreadable_decks_say_what_is_wrong(text, message):
    with pytest.raises(MarpError, match=message):
        parse_deck(text)


# Acceptance 5: decks as people write them for Marp.

MARP_DECK = """---
marp: true
theme: gaia
paginate: true
---

<!-- _class: lead -->
<!-- _paginate: false -->

# 標的型メールを見分ける

5分で学ぶ見分け方

<!-- 最初に訓練メールの実例を見せる -->

---

<!--
backgroundColor: #fff
color: #333
-->

## 差出人を確かめる

![bg right:40%](images/sender.png)

- 表示名と実際のアドレスが違う

<!-- 表示名だけで信じた事例を話す -->

***

### 添付ファイルを開く前に

<style scoped>
h3 { color: red; }
</style>

本文 <!-- ここは短く --> です。

___

# <!-- fit --> 困ったら相談

![連絡先の図](contact.png)

- - -

問い合わせ先は情報システム課です。
"""


def test_marp_front_matter_without_title_takes_the_first_heading():
    deck = parse_deck(MARP_DECK, source_name="targeted-mail.md")

    assert deck.title == "標的型メールを見分ける"


def test_every_ruler_marp_accepts_splits_slides():
    deck = parse_deck(MARP_DECK)

    assert [slide.title for slide in deck.slides] == [
        "標的型メールを見分ける",
        "差出人を確かめる",
        "添付ファイルを開く前に",
        "困ったら相談",
        "スライド 5",
    ]


def test_directive_comments_are_never_notes_and_other_comments_are():
    deck = parse_deck(MARP_DECK)

    assert [slide.notes for slide in deck.slides] == [
        "最初に訓練メールの実例を見せる",
        "表示名だけで信じた事例を話す",
        "ここは短く",
        "",
        "",
    ]
    assert not any("class" in s.body or "<!--" in s.body for s in deck.slides)


def test_inline_comment_leaves_the_sentence_around_it():
    deck = parse_deck(MARP_DECK)

    assert deck.slides[2].body == "本文  です。"


def test_images_and_styles_that_cannot_come_along_are_named_per_slide():
    deck = parse_deck(MARP_DECK)

    assert deck.warnings == [
        "スライド 2: 背景画像 images/sender.png は取り込めませんでした。"
        "画像は管理画面で追加してください。",
        "スライド 3: <style> ブロックは取り込めないため省きました。",
        "スライド 4: 画像「連絡先の図」（contact.png）は取り込めませんでした。"
        "画像は管理画面で追加してください。",
    ]
    assert "![" not in deck.slides[1].body
    assert "<style" not in deck.slides[2].body
    assert deck.slides[1].body == "- 表示名と実際のアドレスが違う"


def test_title_directive_in_a_comment_names_the_deck():
    deck = parse_deck("<!-- title: 生成AIの基本 -->\n\n# はじめに\n\n本文")

    assert deck.title == "生成AIの基本"
    assert deck.slides[0].notes == ""


def test_deck_without_title_or_heading_is_named_after_its_file():
    deck = parse_deck("本文だけのスライド", source_name="ai-basics.md")

    assert deck.title == "ai-basics"
    assert deck.slides[0].title == "スライド 1"


def test_description_and_keywords_become_summary_and_tags():
    deck = parse_deck("---\ndescription: 使い方の基本\nkeywords: AI, 生成AI\n---\n# a")

    assert (deck.summary, deck.tags) == ("使い方の基本", ["AI", "生成AI"])


HEADING_DIVIDED = """---
headingDivider: 2
---

# 情報保全の基本

守るべき情報とは

## 区分を確かめる

秘密区分を確認します。

### 細かい話

同じスライドに残ります。

## 持ち出さない

許可なく持ち出しません。
"""


def test_heading_divider_splits_slides_at_headings_without_rulers():
    deck = parse_deck(HEADING_DIVIDED)

    assert [slide.title for slide in deck.slides] == [
        "情報保全の基本",
        "区分を確かめる",
        "持ち出さない",
    ]
    assert "### 細かい話" in deck.slides[1].body


def test_heading_divider_set_in_a_comment_applies_too():
    deck = parse_deck("<!-- headingDivider: 1 -->\n\n# 一\n\nあ\n\n# 二\n\nい")

    assert [slide.title for slide in deck.slides] == ["一", "二"]


def test_a_dashed_line_under_text_is_a_heading_not_a_slide_break():
    deck = parse_deck("# 一\n\n見出しです\n---\n\n本文")

    assert len(deck.slides) == 1
    assert "見出しです" in deck.slides[0].body


def test_rulers_inside_code_blocks_do_not_split_slides():
    deck = parse_deck("# 例\n\n```\n---\n<!-- not a note -->\n```\n")

    assert len(deck.slides) == 1
    assert "<!-- not a note -->" in deck.slides[0].body
    assert deck.slides[0].notes == ""


def test_header_and_footer_directives_are_named_in_warnings():
    deck = parse_deck(
        "---\nfooter: 情報システム課\n---\n# a\n\n<!-- _header: 社外秘 -->"
    )

    assert deck.warnings == [
        "スライド 1: フッター「情報システム課」は取り込めませんでした。",
        "スライド 1: ヘッダー「社外秘」は取り込めませんでした。",
    ]


def test_a_comment_that_is_yaml_but_no_directive_is_a_note():
    deck = parse_deck("# a\n\n<!-- memo: 時間があれば話す -->")

    assert deck.slides[0].notes == "memo: 時間があれば話す"
