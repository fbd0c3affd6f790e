"""Lessons with chosen text, for search tests."""

from __future__ import annotations

from learning_series.marp import Deck, Slide
from learning_series.models import LessonPage, SeriesPage
from learning_series.services import lesson_create_from_deck
from search.selectors import lesson_search


def make_text_lesson(
    *,
    series: SeriesPage,
    title: str,
    body: str = "",
    notes: str = "",
    summary: str = "",
    tags: tuple[str, ...] = (),
    live: bool = True,
) -> LessonPage:
    """A lesson of one slide whose text is given; published unless live=False."""
    deck = Deck(
        title=title,
        summary=summary,
        tags=list(tags),
        slides=[Slide(title="概要", body=body, notes=notes)],
    )
    lesson, revision = lesson_create_from_deck(series=series, deck=deck, owner=None)
    if live:
        revision.publish()
        lesson.refresh_from_db()
    return lesson


def found_titles(query: str, **options) -> list[str]:
    _, results = lesson_search(query=query, **options)
    return [hit.title for hit in results.hits]
