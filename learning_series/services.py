"""Writes to the lesson tree: creating lessons from decks, publishing."""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify
from wagtail.models import Revision

from .marp import Deck
from .models import LessonPage, SeriesPage


def lesson_slides_from_deck(*, deck: Deck) -> list[tuple[str, dict]]:
    """The StreamField value for a deck's slides."""
    return [
        (
            "slide",
            {
                "title": slide.title,
                "body": slide.body,
                "notes": slide.notes,
                "image": slide.image,
                "image_alt": slide.image_alt,
            },
        )
        for slide in deck.slides
    ]


@transaction.atomic
def lesson_create_from_deck(
    *, series: SeriesPage, deck: Deck, owner, slug: str = ""
) -> tuple[LessonPage, Revision]:
    """Add a draft lesson for a deck under a series; return it and its revision.

    The lesson is not live: it goes through the editorial workflow like any
    other draft.
    """
    lesson = LessonPage(
        title=deck.title,
        draft_title=deck.title,
        slug=slug or slugify(deck.title, allow_unicode=True),
        summary=deck.summary,
        owner=owner,
        live=False,
        slides=lesson_slides_from_deck(deck=deck),
    )
    lesson.tags.add(*deck.tags)
    series.add_child(instance=lesson)
    revision = lesson.save_revision(user=owner, log_action=True)
    return lesson, revision
