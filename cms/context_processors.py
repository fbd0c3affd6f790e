"""Template context the whole site needs."""

from __future__ import annotations

from django.conf import settings


def content_language(request) -> dict[str, str]:
    """The language lessons and series are written in, for `lang` attributes.

    Content is Japanese (WAGTAIL_CONTENT_LANGUAGES) whatever language the
    interface is in; templates mark it so that screen readers and line
    breaking treat it as Japanese when the interface is English.
    """
    return {"CONTENT_LANGUAGE": settings.WAGTAIL_CONTENT_LANGUAGES[0][0]}
