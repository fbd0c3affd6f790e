"""Highlighted snippets: where in a lesson's text the query's words were found."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from search.analysis import Token, fold, fold_with_offsets

SNIPPET_CHARACTERS = 160
_CONTEXT_BEFORE = 40
_KATAKANA_END = re.compile(r"[ァ-ヺ]$")


def _spelling(form: str) -> str:
    # A katakana word may be written with or without its final long-vowel mark
    # (サーバ / サーバー); the analyser unifies them, the highlighter must too.
    stem = form.rstrip("ー")
    if stem != form or _KATAKANA_END.search(form):
        return re.escape(stem) + "ー*"
    return re.escape(form)


def highlight_pattern(tokens: Iterable[Token]) -> re.Pattern | None:
    """A pattern matching, in folded text, any written form of the tokens."""
    forms = {form for token in tokens for form in (token.surface, token.term) if form}
    if not forms:
        return None
    alternatives = sorted({_spelling(form) for form in forms}, key=len, reverse=True)
    return re.compile("|".join(alternatives))


def _matches(text: str, pattern: re.Pattern) -> list[tuple[int, int]]:
    folded = fold(text)
    if len(folded) == len(text):
        # Folding kept the length (the usual case): offsets carry over, and
        # the character-by-character mapping is not worth its cost.
        offsets = range(len(text))
    else:
        folded, offsets = fold_with_offsets(text)
    spans: list[tuple[int, int]] = []
    for match in pattern.finditer(folded):
        if match.end() == match.start():
            continue
        start = offsets[match.start()]
        # The match ends where the next folded character's source begins, so
        # a half-width voiced mark (ﾄﾞ → ド) stays inside the mark.
        end = offsets[match.end()] if match.end() < len(folded) else len(text)
        end = max(end, start + 1)
        if spans and start <= spans[-1][1]:
            # Adjacent terms (標的 + 型) read as one highlighted word.
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        elif spans and start >= spans[0][0] + SNIPPET_CHARACTERS:
            break  # past the excerpt shown
        else:
            spans.append((start, end))
    return spans


def _marked(text: str, spans: list[tuple[int, int]]) -> str:
    out, position = [], 0
    for start, end in spans:
        if start < position:
            continue
        out.append(escape(text[position:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    out.append(escape(text[position:]))
    return "".join(out)


def snippet(texts: Iterable[str], pattern: re.Pattern | None) -> SafeString:
    """An escaped excerpt around the first match, matches wrapped in <mark>.

    `texts` are tried in order (body before summary, say); without any match
    the first non-empty text's beginning is shown.
    """
    texts = [" ".join(text.split()) for text in texts if text and text.strip()]
    if not texts:
        return mark_safe("")  # noqa: S308
    if pattern is not None:
        for text in texts:
            spans = _matches(text, pattern)
            if not spans:
                continue
            start = max(0, spans[0][0] - _CONTEXT_BEFORE)
            end = min(len(text), start + SNIPPET_CHARACTERS)
            window = [(s - start, min(e, end) - start) for s, e in spans if s < end]
            html = _marked(text[start:end], window)
            prefix = "…" if start > 0 else ""
            suffix = "…" if end < len(text) else ""
            return mark_safe(prefix + html + suffix)  # noqa: S308 -- escaped above
    text = texts[0]
    suffix = "…" if len(text) > SNIPPET_CHARACTERS else ""
    return mark_safe(escape(text[:SNIPPET_CHARACTERS]) + suffix)  # noqa: S308
