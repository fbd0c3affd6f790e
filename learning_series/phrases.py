"""Japanese titles broken at phrase boundaries (BudouX), as HTML safe to output.

Browsers break Japanese text between any two characters, so a title wraps
inside words (「使い/方」). BudouX's model, bundled in its wheel, splits a
text into phrases; the boundaries become `<wbr>` hints, and CSS
(`.phrases` in cms/static/cms/gofun.css, `word-break: keep-all`) keeps the
rest of each phrase together. The hints are preferred to Chromium's own
`word-break: auto-phrase`, which splits some words (全体|像) and which other
browsers lack; headings without hints still get auto-phrase.
"""

from __future__ import annotations

from functools import lru_cache

import budoux
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_parser = budoux.load_default_japanese_parser()


@lru_cache(maxsize=4096)
def _phrase_html(text: str) -> str:
    phrases = _parser.parse(text) if text else []
    # Each phrase is escaped on its own; only our <wbr> tags go between them,
    # so no markup in a title can ever reach the page.
    return "<wbr>".join(escape(phrase) for phrase in phrases)


def phrase_break_html(text: str) -> SafeString:
    """`text` escaped, in a `<span class="phrases" lang="ja">`, with `<wbr>`
    between its phrases; an empty string for an empty text."""
    text = str(text or "")
    if not text.strip():
        return mark_safe("")  # noqa: S308 -- a constant
    return mark_safe(  # noqa: S308 -- every phrase escaped in _phrase_html
        f'<span class="phrases" lang="ja">{_phrase_html(text)}</span>'
    )
