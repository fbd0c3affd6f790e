"""Slide Markdown renders to HTML with nothing executable left in it."""

import pytest

from learning_series.markdown import render_markdown


def test_tables_and_emphasis_survive():
    html = render_markdown("**重要**\n\n| 項目 | 内容 |\n| --- | --- |\n| VPN | 必須 |")

    assert "<strong>重要</strong>" in html
    assert "<table>" in html
    assert "<td>VPN</td>" in html


def test_lists_nested_by_two_spaces_stay_nested():
    html = render_markdown("- 見抜くポイント\n  - 差出人\n  - 添付ファイル\n- まとめ")

    assert html.count("<ul>") == 2
    assert "<li>見抜くポイント<ul>" in html.replace("\n", "")


@pytest.mark.parametrize(
    "attack",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        "[click](data:text/html;base64,PHNjcmlwdD4=)",
        '<a href="javascript:alert(1)">x</a>',
        '<iframe src="https://example.com"></iframe>',
    ],
)
def test_nothing_executable_survives(attack):
    html = render_markdown(attack).lower()

    assert "<script" not in html
    assert "onerror" not in html
    assert "javascript:" not in html
    assert "data:" not in html
    assert "<iframe" not in html
    assert "<img" not in html


def test_safe_links_are_kept_and_do_not_leak_the_referrer():
    html = render_markdown("[NISC](https://www.nisc.go.jp/)")

    assert 'href="https://www.nisc.go.jp/"' in html
    assert 'rel="noopener noreferrer"' in html
