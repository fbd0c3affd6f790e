"""Reads of the lesson tree for the public pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.safestring import mark_safe
from wagtail.images import get_image_model
from wagtail.images.models import AbstractRendition
from wagtail.models import Page

from cms import cache_versions

from .markdown import render_markdown
from .models import LessonPage, SeriesPage
from .phrases import phrase_break_html
from .visibility import SessionLike, pages_visible_to, restriction_key_for


def _visible_lesson_count(*, user, session: SessionLike) -> Coalesce:
    """A subquery counting the lessons of a series page this person may see,
    so a list is one query (after the visibility rule's own)."""
    lessons = (
        pages_visible_to(
            Page.objects.filter(
                path__startswith=OuterRef("path"),
                depth=OuterRef("depth") + 1,
                content_type=ContentType.objects.get_for_model(LessonPage),
            ),
            user=user,
            session=session,
        )
        .order_by()
        .values("depth")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(lessons), 0)


def series_list_under(
    *, index_page: Page, user, session: SessionLike = None
) -> QuerySet[SeriesPage]:
    """The series of a series index this person may see, in tree order, with
    the number of lessons they may see."""
    return (
        pages_visible_to(
            SeriesPage.objects.child_of(index_page), user=user, session=session
        )
        .annotate(lesson_count=_visible_lesson_count(user=user, session=session))
        .order_by("path")
    )


def series_list_for_home(
    *, home: Page, user, session: SessionLike = None
) -> QuerySet[SeriesPage]:
    """Every series below the home page this person may see, with lesson counts."""
    return (
        pages_visible_to(
            SeriesPage.objects.descendant_of(home), user=user, session=session
        )
        .annotate(lesson_count=_visible_lesson_count(user=user, session=session))
        .order_by("path")
    )


def series_lessons(
    *, series: SeriesPage, user, session: SessionLike = None
) -> QuerySet[LessonPage]:
    """The lessons of a series this person may see, in the order editors gave."""
    return pages_visible_to(
        LessonPage.objects.child_of(series), user=user, session=session
    ).order_by("path")


def home_series_fragment_key(
    *, home: Page, user, session: SessionLike = None, preview: bool = False
) -> str:
    """The key of the home page's series list (shared fragment): the tree,
    the view counts' roll-up and the restricted paths the person is kept
    out of. Empty for a preview, which is rendered each time."""
    if preview or not home.pk:
        return ""
    versions = cache_versions.current_many(
        cache_versions.TREE, cache_versions.VIEW_TOTALS
    )
    restricted = restriction_key_for(user=user, session=session)
    return f"home-series:{home.pk}:{versions}:{restricted}"


@dataclass(frozen=True)
class SeriesFragmentKeys:
    intro: str = ""
    lessons: str = ""


def series_fragment_keys(
    *, series: SeriesPage, user, session: SessionLike = None, preview: bool = False
) -> SeriesFragmentKeys:
    """The keys of a series page's shared fragments (its cover and title; its
    lessons with their view counts): the live revision, the tree (the index
    above it, its lessons), images, the view counts' roll-up and the
    restricted paths the person is kept out of. Empty for a preview, which
    is rendered each time."""
    if preview or not series.pk or not series.live or not series.live_revision_id:
        return SeriesFragmentKeys()
    versions = cache_versions.current_many(
        cache_versions.TREE, cache_versions.MEDIA, cache_versions.VIEW_TOTALS
    )
    restricted = restriction_key_for(user=user, session=session)
    revision = f"{series.pk}:{series.live_revision_id}:{versions}"
    return SeriesFragmentKeys(
        intro=f"series-intro:{revision}",
        lessons=f"series-lessons:{revision}:{restricted}",
    )


@dataclass(frozen=True)
class LessonPlace:
    """Where a lesson sits: its series and the visible lessons either side."""

    series: Page
    previous_lesson: Page | None
    next_lesson: Page | None


def lesson_place_in_series(
    *, lesson: LessonPage, user, session: SessionLike = None
) -> LessonPlace:
    """A lesson's series and the neighbours this person may see.

    A series holds a handful of lessons, so all of them are read at once; a
    neighbour the person may not see (a draft, a restricted lesson) is skipped.
    The answer for a live lesson is cached until the tree changes, shared by
    everyone kept out of the same restricted paths.
    """
    if not lesson.pk or not lesson.live:
        return _lesson_place(lesson=lesson, user=user, session=session)
    key = "gofun:lesson-place:" + cache_versions.digest(
        cache_versions.current(cache_versions.TREE),
        lesson.pk,
        lesson.path,
        restriction_key_for(user=user, session=session),
    )
    return cache_versions.versioned(
        key,
        lambda: _lesson_place(lesson=lesson, user=user, session=session),
        timeout=cache_versions.KEEP_SECONDS,
    )


@dataclass(frozen=True)
class LessonFragmentKeys:
    """The keys of the lesson page's shared fragments (cms' shared_fragment
    tag); empty for a preview, which is rendered each time."""

    lesson: str = ""
    controls: str = ""
    pager: str = ""


def lesson_fragment_keys(
    *, lesson: LessonPage, user, session: SessionLike = None, preview: bool = False
) -> LessonFragmentKeys:
    """Keys naming everything each fragment of the lesson page is built from:
    the live revision (slides, title, summary, tags), the tree (the series'
    title, the neighbours), images (renditions) and, for the neighbours,
    the restricted paths the person is kept out of."""
    if preview or not lesson.pk or not lesson.live or not lesson.live_revision_id:
        return LessonFragmentKeys()
    versions = cache_versions.current_many(cache_versions.TREE, cache_versions.MEDIA)
    revision = f"{lesson.pk}:{lesson.live_revision_id}:{versions}"
    return LessonFragmentKeys(
        lesson=f"lesson:{revision}",
        controls=f"lesson-controls:{revision}",
        pager=f"lesson-pager:{revision}:"
        + restriction_key_for(user=user, session=session),
    )


def _lesson_place(*, lesson: LessonPage, user, session: SessionLike) -> LessonPlace:
    series_path = lesson.path[: -Page.steplen]
    series = Page.objects.filter(path=series_path).only(
        "pk", "path", "depth", "title", "url_path", "live"
    )
    lessons = list(
        pages_visible_to(
            Page.objects.filter(
                path__startswith=series_path,
                depth=lesson.depth,
                content_type=ContentType.objects.get_for_model(LessonPage),
            ),
            user=user,
            session=session,
        )
        .order_by("path")
        .only("pk", "path", "depth", "title", "url_path", "live")
    )
    series = series.first()
    if series is None:
        # Not in the tree yet (a preview of a new lesson) or moved meanwhile.
        return LessonPlace(
            series=lesson.get_parent(), previous_lesson=None, next_lesson=None
        )
    positions = [page.pk for page in lessons]
    if lesson.pk not in positions:
        return LessonPlace(series=series, previous_lesson=None, next_lesson=None)
    index = positions.index(lesson.pk)
    return LessonPlace(
        series=series,
        previous_lesson=lessons[index - 1] if index > 0 else None,
        next_lesson=lessons[index + 1] if index + 1 < len(lessons) else None,
    )


@dataclass(frozen=True)
class SlideForReading:
    """One slide as the reader shows it, its Markdown already rendered."""

    number: int
    title: str
    title_html: str
    body_html: str
    notes_html: str
    image_alt: str
    image: AbstractRendition | None = None


@dataclass(frozen=True)
class LessonForReading:
    """A lesson's title and slides as the reader shows them."""

    title_html: str
    slides: list[SlideForReading]


SLIDE_IMAGE_FILTER = "max-1200x800"
_CACHE_VERSION = 2


def _rendered_slides_cache_key(lesson: LessonPage) -> str | None:
    """A key naming the live revision, so an edit can never serve stale HTML."""
    if not lesson.live or not lesson.live_revision_id or not lesson.last_published_at:
        return None
    published = int(lesson.last_published_at.timestamp() * 1_000_000)
    return (
        f"gofun:lesson-slides:{_CACHE_VERSION}:{lesson.pk}:"
        f"{lesson.live_revision_id}:{published}"
    )


def _render_lesson(lesson: LessonPage) -> dict:
    rendered = []
    for block in lesson.slides.raw_data:
        value = block["value"]
        rendered.append(
            {
                "title": value.get("title", ""),
                "title_html": str(phrase_break_html(value.get("title", ""))),
                "body_html": str(render_markdown(value.get("body", ""))),
                "notes_html": str(render_markdown(value.get("notes", ""))),
                "image_id": value.get("image"),
                "image_alt": value.get("image_alt", ""),
            }
        )
    return {"title_html": str(phrase_break_html(lesson.title)), "slides": rendered}


def lesson_for_reading(*, lesson: LessonPage, cached: bool = True) -> LessonForReading:
    """A lesson's title and slides rendered for the reader, images sized.

    Rendered HTML (Markdown, and titles broken at Japanese phrase boundaries)
    is cached per published revision, so a page view renders no Markdown and
    runs no phrase model; previews (not a revision yet) are rendered each
    time. Images and their renditions are fetched in one go whatever the
    number of slides.
    """
    key = _rendered_slides_cache_key(lesson) if cached else None
    rendered = cache.get(key) if key else None
    if rendered is None:
        rendered = _render_lesson(lesson)
        if key:
            cache.set(key, rendered, timeout=cache_versions.KEEP_SECONDS)
    image_ids = {slide["image_id"] for slide in rendered["slides"] if slide["image_id"]}
    images = {}
    if image_ids:
        images = {
            image.pk: image
            for image in get_image_model()
            .objects.filter(pk__in=image_ids)
            .prefetch_renditions(SLIDE_IMAGE_FILTER)
        }
    slides = []
    for number, slide in enumerate(rendered["slides"], 1):
        image = images.get(slide["image_id"])
        slides.append(
            SlideForReading(
                number=number,
                title=slide["title"],
                title_html=mark_safe(slide["title_html"]),  # noqa: S308 -- escaped
                body_html=mark_safe(slide["body_html"]),  # noqa: S308 -- nh3 output
                notes_html=mark_safe(slide["notes_html"]),  # noqa: S308 -- nh3 output
                image_alt=slide["image_alt"],
                image=image.get_rendition(SLIDE_IMAGE_FILTER) if image else None,
            )
        )
    return LessonForReading(
        title_html=mark_safe(rendered["title_html"]),  # noqa: S308 -- escaped
        slides=slides,
    )
