"""Template filters for lesson and series pages."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from ..phrases import phrase_break_html

register = template.Library()


@register.filter
def phrase_breaks(text: str) -> SafeString:
    """A plain-text title broken at Japanese phrase boundaries, escaped.

    The text is always escaped, even if marked safe: see learning_series.phrases.
    """
    return phrase_break_html(text)
