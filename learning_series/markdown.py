"""Markdown to safe HTML for slide bodies and notes.

Python-Markdown passes raw HTML and javascript: links through, so its output
goes through nh3 with an allow-list that keeps tables, code and safe links.
"""

from __future__ import annotations

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h2", "h3", "h4",
    "hr", "i", "kbd", "li", "ol", "p", "pre", "s", "span", "strong", "sub", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan", "scope"},
    "ol": {"start"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
EXTENSIONS = ["tables", "fenced_code", "sane_lists", "nl2br"]
# Decks are written the CommonMark way, nesting lists by two spaces;
# Python-Markdown's default of four would flatten them.
LIST_INDENT = 2


def render_markdown(text: str) -> SafeString:
    """Render Markdown to HTML with everything executable removed."""
    if not text:
        return mark_safe("")  # noqa: S308
    html = markdown_lib.markdown(
        text, extensions=EXTENSIONS, output_format="html", tab_length=LIST_INDENT
    )
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return mark_safe(cleaned)  # noqa: S308 -- sanitised by nh3 above
