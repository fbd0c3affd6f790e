"""Snippets: the excerpt around the first match, matches marked, text escaped."""

from search.analysis import parse_query
from search.snippets import SNIPPET_CHARACTERS, highlight_pattern, snippet


def excerpt(texts, query):
    return str(snippet(texts, highlight_pattern(parse_query(query).tokens)))


def test_half_width_text_is_marked_where_it_stands():
    assert excerpt(["データをｸﾗｳﾄﾞに保存します"], "クラウド") == (
        "データを<mark>ｸﾗｳﾄﾞ</mark>に保存します"
    )


def test_full_width_text_matches_a_half_width_query():
    assert "<mark>ＵＳＢ</mark>" in excerpt(["ＵＳＢメモリの持ち出し"], "usb")


def test_excerpt_starts_near_a_match_deep_in_the_text():
    text = "前置き。" * 200 + "最後にパスワードの話をします。"

    result = excerpt([text], "パスワード")

    assert result.startswith("…")
    assert "<mark>パスワード</mark>" in result
    assert len(result) < SNIPPET_CHARACTERS + 40


def test_text_without_a_match_shows_its_beginning():
    assert excerpt(["要件定義の進め方"], "パスワード") == "要件定義の進め方"


def test_lesson_text_is_escaped():
    assert "&lt;script&gt;" in excerpt(["<script>添付</script>"], "添付")
