"""Reads of the lesson tree for the public pages."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from wagtail.models import Page

from .models import LessonPage, SeriesPage


def _live_lesson_count() -> Coalesce:
    """A subquery counting a series page's live lessons, so a list is one query."""
    lessons = (
        Page.objects.filter(
            path__startswith=OuterRef("path"),
            depth=OuterRef("depth") + 1,
            live=True,
            content_type=ContentType.objects.get_for_model(LessonPage),
        )
        .order_by()
        .values("depth")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(lessons), 0)


def series_list_under(*, index_page: Page) -> QuerySet[SeriesPage]:
    """Live, public series of a series index, in tree order, with lesson counts."""
    return (
        SeriesPage.objects.child_of(index_page)
        .live()
        .public()
        .annotate(lesson_count=_live_lesson_count())
        .order_by("path")
    )


def series_list_for_home(*, home: Page) -> QuerySet[SeriesPage]:
    """Every live, public series below the home page, with lesson counts."""
    return (
        SeriesPage.objects.descendant_of(home)
        .live()
        .public()
        .annotate(lesson_count=_live_lesson_count())
        .order_by("path")
    )
