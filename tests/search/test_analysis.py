"""The Japanese analyser: folding, variants, word splitting and query bounds."""

import sys
import unicodedata

import pytest

from search.analysis import (
    MAX_QUERY_CHARACTERS,
    MAX_QUERY_WORDS,
    MAX_TOKENS_PER_WORD,
    fold_title,
    parse_query,
    remove_control_characters,
    terms,
)


@pytest.mark.parametrize(
    ("written", "canonical"),
    [("ＵＳＢメモリ", "USBメモリ"), ("ｸﾗｳﾄﾞ", "クラウド"), ("ＶＰＮ", "vpn")],
)
def test_full_and_half_width_spellings_give_the_same_terms(written, canonical):
    assert terms(written) == terms(canonical)


@pytest.mark.parametrize(
    ("short", "long"),
    [
        ("サーバ", "サーバー"),
        ("ユーザ", "ユーザー"),
        ("コンピュータ", "コンピューター"),
    ],
)
def test_long_vowel_variants_give_the_same_term(short, long):
    assert terms(short) == terms(long)


def test_katakana_word_inside_a_sentence_is_a_term_of_its_own():
    assert "メール" in terms("標的型メールの脅威")


def test_two_character_word_inside_a_compound_is_a_term_of_its_own():
    assert "添付" in terms("添付ファイルを開かない")


def test_punctuation_and_search_operators_do_not_become_terms():
    parsed = parse_query('"(添付 OR メール)* NEAR/3 title:^2 -x')

    assert all(
        character.isalnum() for token in parsed.tokens for character in token.term
    )


def test_operator_words_are_dropped_from_queries():
    parsed = parse_query("VPN OR パスワード AND NOT or")

    assert [[t.term for t in word] for word in parsed.words] == [
        ["vpn"],
        ["パスワード"],
        ["or"],
    ]


def test_query_is_cut_to_its_maximum_length():
    parsed = parse_query("あ" * 100_000)

    assert len(parsed.text) == MAX_QUERY_CHARACTERS
    assert all(len(word) <= MAX_TOKENS_PER_WORD for word in parsed.words)


def test_query_keeps_at_most_the_maximum_number_of_words():
    parsed = parse_query(" ".join(f"単語{n}" for n in range(50)))

    assert len(parsed.words) == MAX_QUERY_WORDS


def test_control_characters_are_removed_from_queries():
    parsed = parse_query("パス\x00ワード\u202e\x1b")

    assert parsed.text == "パスワード"


def test_query_of_only_punctuation_is_empty():
    assert parse_query('"() [] {} * : ^ ~ -').is_empty


def test_folded_titles_ignore_width_case_and_final_long_vowel():
    assert fold_title("ｻｰﾊﾞｰとＵＳＢ") == fold_title("サーバとusb")


def _one_character_at_a_time(text: str) -> str:
    """The rule remove_control_characters keeps, spelled out per character."""
    return "".join(
        " "
        if character.isspace()
        else ""
        if unicodedata.category(character) in {"Cc", "Cf", "Cs", "Co", "Cn"}
        else character
        for character in text
    )


@pytest.mark.parametrize("start", range(0, sys.maxunicode + 1, 0x10000))
def test_control_characters_removed_by_the_per_character_rule(start):
    """Every code point, alone and between letters (the fast path and the
    slow one), comes out as the per-character rule says."""
    for code in range(start, start + 0x10000):
        character = chr(code)
        for text in (character, f"教材{character}a b"):
            assert remove_control_characters(text) == _one_character_at_a_time(text)
