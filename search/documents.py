"""What is indexed for a lesson, independent of the engine that indexes it."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime

from django.utils.html import strip_tags

from learning_series.markdown import render_markdown
from learning_series.models import LessonPage, SeriesPage

_BLANK_RUNS = re.compile(r"[ \t\r\f\v]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def markdown_to_text(text: str) -> str:
    """Readable plain text of a Markdown body, for indexing and snippets."""
    if not text:
        return ""
    plain = html.unescape(strip_tags(render_markdown(text)))
    plain = _BLANK_RUNS.sub(" ", plain)
    return _BLANK_LINES.sub("\n", plain).strip()


@dataclass(frozen=True)
class LessonDocument:
    """A lesson's searchable text and facets.

    Every lesson is indexed once; `searchable` says whether learners may find
    it (live, public, under live pages: search.selectors.lessons_searchable).
    The admin's page search finds the others too, for the editors and authors
    whose page permissions let them see them.
    """

    page_id: int
    title: str
    summary: str
    tags: tuple[str, ...]
    slide_titles: tuple[str, ...]
    slide_texts: tuple[str, ...]
    notes: tuple[str, ...]
    url: str
    series_id: int | None
    series_title: str
    job_role_codes: tuple[str, ...]
    first_published_at: datetime | None
    last_published_at: datetime | None
    searchable: bool = True

    @property
    def body(self) -> str:
        """Every slide's text and speaker notes, one slide after another."""
        parts = []
        for index, text in enumerate(self.slide_texts):
            parts.append(text)
            if index < len(self.notes) and self.notes[index]:
                parts.append(self.notes[index])
        return "\n".join(part for part in parts if part)


def lesson_document(
    *, lesson: LessonPage, series: SeriesPage | None, searchable: bool = True
) -> LessonDocument:
    """The document for one lesson; `series` is its parent series page."""
    slide_titles, slide_texts, notes = [], [], []
    for block in lesson.slides:
        if block.block_type != "slide":
            continue
        value = block.value
        slide_titles.append(value.get("title") or "")
        slide_texts.append(markdown_to_text(value.get("body") or ""))
        notes.append(markdown_to_text(value.get("notes") or ""))
    return LessonDocument(
        page_id=lesson.pk,
        title=lesson.title,
        summary=lesson.summary,
        tags=tuple(sorted(tag.name for tag in lesson.tags.all())),
        slide_titles=tuple(slide_titles),
        slide_texts=tuple(slide_texts),
        notes=tuple(notes),
        url=lesson.get_url() or lesson.url_path,
        series_id=series.pk if series else None,
        series_title=series.title if series else "",
        job_role_codes=tuple(
            sorted(role.code for role in series.target_roles.all()) if series else ()
        ),
        first_published_at=lesson.first_published_at,
        last_published_at=lesson.last_published_at,
        searchable=searchable,
    )
