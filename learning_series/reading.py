"""Estimated reading time of a lesson, held to the five-minute budget.

Japanese is measured in characters, not words: adult silent reading of
Japanese prose is commonly put at 400–600 characters a minute (字/分); the
IReST study (Trauzettel-Klosinski & Dietz, Investigative Ophthalmology &
Visual Science 53(9), 2012) measured 357 ± 56 characters a minute for
Japanese read *aloud*, which silent reading outpaces. We take 500, the middle
of the silent range: slides are dense with terms new to the reader, so the
fast end would flatter them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping

CHARACTERS_PER_MINUTE = 500
BUDGET_MINUTES = 5

# Markdown syntax a reader never sees, removed in this order: HTML comments,
# link targets, tags, emphasis and heading marks, table rules, code fences
# and list numbers; then all whitespace. Each rule is (pattern, flags,
# replacement), written so that Python's re and JavaScript's RegExp read it
# alike: the editor's live estimate (static/learning_series/reading_time.js)
# is given these very rules.
STRIP_RULES: list[tuple[str, str, str]] = [
    (r"<!--[\s\S]*?-->", "", ""),
    (r"\]\([^)]*\)", "", "]"),
    (r"<[^>]+>", "", ""),
    (r"[#*_`|>~\[\]\-]|^\s*\d+\.", "m", ""),
]
_COMPILED_RULES = [
    (re.compile(pattern, re.MULTILINE if "m" in flags else 0), replacement)
    for pattern, flags, replacement in STRIP_RULES
]
_WHITESPACE = re.compile(r"\s+")


def visible_characters(markdown_text: str) -> int:
    """How many characters of a Markdown text a reader actually reads."""
    text = markdown_text or ""
    for pattern, replacement in _COMPILED_RULES:
        text = pattern.sub(replacement, text)
    return len(_WHITESPACE.sub("", text))


def reading_seconds(slides: Iterable[Mapping]) -> int:
    """Seconds to read the titles and bodies of slides (speaker notes excluded).

    `slides` are the raw values of slide blocks (dicts with "title" and
    "body"), so no block or image has to be loaded to estimate a lesson.
    """
    characters = sum(
        visible_characters(slide.get("title", ""))
        + visible_characters(slide.get("body", ""))
        for slide in slides
    )
    return math.ceil(characters * 60 / CHARACTERS_PER_MINUTE)


def reading_minutes(seconds: int) -> int:
    """Whole minutes shown to readers: at least one, rounded up."""
    return max(1, math.ceil(seconds / 60))
