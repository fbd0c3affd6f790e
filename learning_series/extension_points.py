"""Where apps above learning_series plug into the lesson and series pages.

learning_series knows none of them (analytics, for one, records views and
counts them); they register with these Wagtail hooks in their
`wagtail_hooks.py`:

- LESSON_SERVED: `fn(request, lesson, series)` is called when a lesson page is
  served to a person who may see it (Wagtail's before_serve_page hooks,
  learning_series' visibility rule among them, have let the request through;
  never for previews or HEAD requests). It returns a Component to show below
  the slides (or None).
- PAGE_VIEW_COUNTS: `fn(pages, user, session)` returns {page id: views} for
  the series and lesson pages this person is shown (「閲覧 1,234 回」).

A hook that fails is logged and left out: it never costs the page.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from wagtail import hooks
from wagtail.admin.ui.components import Component

LESSON_SERVED = "gofun_lesson_served"
PAGE_VIEW_COUNTS = "gofun_page_view_counts"

logger = logging.getLogger("gofun.learning_series")


def lesson_served_components(request, lesson, series) -> list[Component]:
    """What the apps add below a lesson being served."""
    if request is None or getattr(request, "is_preview", False):
        return []
    if request.method != "GET":
        return []
    components = []
    for hook in hooks.get_hooks(LESSON_SERVED):
        try:
            component = hook(request, lesson, series)
        except Exception:  # noqa: BLE001 -- an add-on never breaks the page
            logger.exception(
                "The %s hook failed for lesson %s", LESSON_SERVED, lesson.pk
            )
            continue
        if component is not None:
            components.append(component)
    return components


def with_view_counts(pages: Iterable, *, user, session=None) -> list:
    """The pages as a list, each with `view_count` (None when nobody counts)."""
    pages = list(pages)
    counts: dict[int, int] = {}
    if pages:
        for hook in hooks.get_hooks(PAGE_VIEW_COUNTS):
            try:
                counts.update(hook(pages=pages, user=user, session=session) or {})
            except Exception:  # noqa: BLE001 -- counts never break the page
                logger.exception("The %s hook failed", PAGE_VIEW_COUNTS)
    for page in pages:
        page.view_count = counts.get(page.pk)
    return pages
