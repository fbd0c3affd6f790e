"""Writes to the lesson tree: creating lessons from decks, importing, publishing."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import Page, Revision

from .marp import Deck, MarpError, parse_deck
from .models import LessonPage, SeriesPage

LESSON_IMPORT_ACTION = "gofun.lesson.import"
# A five-minute deck is a few kilobytes; a megabyte is no lesson.
MARKDOWN_MAX_BYTES = 1024 * 1024
SLIDE_TITLE_MAX_LENGTH = 200


@dataclass
class MarkdownImport:
    lesson: LessonPage
    # What the deck had that a lesson cannot hold, one line per slide and item.
    warnings: list[str] = field(default_factory=list)


class LessonImportError(ValueError):
    """An import that was refused; the one-line message is for the person importing.

    Nothing has been written when it is raised.
    """


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


def _deck_from_markdown(*, source_name: str, content: bytes | str) -> Deck:
    if isinstance(content, bytes):
        if len(content) > MARKDOWN_MAX_BYTES:
            raise LessonImportError(
                _("%(file)s: the file is larger than %(limit)d KB.")
                % {"file": source_name, "limit": MARKDOWN_MAX_BYTES // 1024}
            )
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise LessonImportError(
                _("%(file)s: the file is not UTF-8 text.") % {"file": source_name}
            ) from error
    try:
        deck = parse_deck(content, source_name=PurePath(source_name).name)
    except MarpError as error:
        raise LessonImportError(f"{source_name}: {error}") from error
    for number, slide in enumerate(deck.slides, 1):
        if len(slide.title) > SLIDE_TITLE_MAX_LENGTH:
            raise LessonImportError(
                _(
                    "%(file)s: the title of slide %(number)d is longer than "
                    "%(limit)d characters."
                )
                % {
                    "file": source_name,
                    "number": number,
                    "limit": SLIDE_TITLE_MAX_LENGTH,
                }
            )
    if len(deck.title) > 255:
        raise LessonImportError(
            _("%(file)s: the title is longer than 255 characters.")
            % {"file": source_name}
        )
    return deck


def lesson_slug_free(*, series: SeriesPage, title: str) -> str:
    """A slug for a new lesson titled `title`, unused among the series' pages.

    Made from the title as Wagtail makes slugs (Japanese kept when
    WAGTAIL_ALLOW_UNICODE_SLUGS is on, its default), with -2, -3 … added
    when the series already has it.
    """
    allow_unicode = getattr(settings, "WAGTAIL_ALLOW_UNICODE_SLUGS", True)
    base = slugify(title, allow_unicode=allow_unicode)[:200].strip("-") or "lesson"
    taken = set(
        Page.objects.child_of(series)
        .filter(slug__startswith=base)
        .values_list("slug", flat=True)
    )
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def lesson_import_markdown(
    *,
    series: SeriesPage,
    owner,
    source_name: str,
    content: bytes | str,
    publish: bool = False,
) -> LessonPage:
    """Create a lesson under a series from a Marp deck; see
    lesson_import_markdown_deck, which also returns the warnings."""
    return lesson_import_markdown_deck(
        series=series,
        owner=owner,
        source_name=source_name,
        content=content,
        publish=publish,
    ).lesson


@transaction.atomic
def lesson_import_markdown_deck(
    *,
    series: SeriesPage,
    owner,
    source_name: str,
    content: bytes | str,
    publish: bool = False,
) -> MarkdownImport:
    """Create a lesson under a series from a Marp deck.

    The lesson is a draft owned by `owner`, or published when `publish` is
    asked and the owner may publish; its slug comes from its title, unique in
    the series. The import is recorded in the audit log as
    LESSON_IMPORT_ACTION. What the deck had that a lesson cannot hold comes
    back as warnings. Raises LessonImportError, having written nothing, when
    the file cannot be read or the owner may not do what is asked.
    """
    permissions = series.permissions_for_user(owner)
    if not owner.is_active or not permissions.can_add_subpage():
        raise LessonImportError(
            _("%(user)s may not add lessons to the series “%(series)s”.")
            % {"user": owner.get_username(), "series": series.title}
        )
    if publish and not permissions.can_publish_subpage():
        raise LessonImportError(
            _(
                "%(user)s may not publish lessons: import it as a draft and "
                "submit it for review."
            )
            % {"user": owner.get_username()}
        )
    deck = _deck_from_markdown(source_name=source_name, content=content)
    lesson, revision = lesson_create_from_deck(
        series=series,
        deck=deck,
        owner=owner,
        slug=lesson_slug_free(series=series, title=deck.title),
    )
    log(
        instance=lesson,
        action=LESSON_IMPORT_ACTION,
        user=owner,
        data={"source": PurePath(source_name).name, "slides": len(deck.slides)},
    )
    if publish:
        revision.publish(user=owner)
        lesson.refresh_from_db()
    return MarkdownImport(lesson=lesson, warnings=list(deck.warnings))
