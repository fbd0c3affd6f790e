"""Verification codes: random, 20 characters, typed back forgivingly."""

import pytest

from certificates.codes import ALPHABET, code_grouped, code_new, code_normalise


def test_a_new_code_is_20_random_characters_of_crockford_base32():
    codes = {code_new() for _ in range(200)}

    assert len(codes) == 200
    assert all(len(code) == 20 and set(code) <= set(ALPHABET) for code in codes)


def test_a_code_is_printed_in_groups_of_four():
    assert code_grouped("ABCD0123EFGH4567JKMN") == "ABCD-0123-EFGH-4567-JKMN"


@pytest.mark.parametrize(
    "typed",
    [
        "ABCD0123EFGH4567JKMN",
        "abcd-0123-efgh-4567-jkmn",
        " ABCD 0123 EFGH 4567 JKMN ",
        "ＡＢＣＤ－０１２３－ＥＦＧＨ－４５６７－ＪＫＭＮ",
    ],
)
def test_case_hyphens_spaces_and_full_width_do_not_matter(typed):
    assert code_normalise(typed) == "ABCD0123EFGH4567JKMN"


def test_letters_read_as_digits_are_taken_as_the_digits():
    assert code_normalise("OOOO-IIII-LLLL-0000-1111") == "00001111111100001111"


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "ABCD",
        "ABCD0123EFGH4567JKMNP",  # 21
        "ABCD0123EFGH4567JKMU",  # U is not in the alphabet
        "../../etc/passwd",
        "ABCD0123EFGH4567JKM%",
        "A" * 10_000,
        None,
    ],
)
def test_anything_else_is_not_a_code(typed):
    assert code_normalise(typed) is None
