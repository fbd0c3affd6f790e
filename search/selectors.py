"""Reads for search: what may be indexed, searching, suggestions, the query log."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime

from django.db.models import Avg, Count, Max, QuerySet
from wagtail.models import Page

from learning_series.models import LessonPage, SeriesPage
from learning_series.visibility import (
    SessionLike,
    lessons_visible_to_all_staff,
    page_ids_visible_to,
)

from .analysis import ParsedQuery, parse_query
from .backends.base import (
    BaseSearchEngine,
    SearchFilters,
    SearchResults,
    Suggestion,
    get_search_engine,
)
from .documents import LessonDocument, lesson_document
from .models import SearchQuery

# The admin lists at most this many lessons for one search.
MAX_ADMIN_MATCHES = 1000


def lessons_searchable() -> QuerySet[LessonPage]:
    """Lessons every member of staff may see (learning_series.visibility): one
    index answers everyone, so a lesson restricted to some groups or behind a
    password is never indexed."""
    return lessons_visible_to_all_staff()


def lesson_documents(
    *, page_ids: Iterable[int] | None = None
) -> Iterator[LessonDocument]:
    """Documents for every lesson (or those of page_ids), each saying whether
    learners may find it (lessons_searchable) or only the admin may."""
    lessons = LessonPage.objects.prefetch_related("tagged_items__tag").order_by("path")
    searchable = lessons_searchable()
    if page_ids is not None:
        page_ids = list(page_ids)
        lessons = lessons.filter(pk__in=page_ids)
        searchable = searchable.filter(pk__in=page_ids)
    searchable_ids = set(searchable.values_list("pk", flat=True))
    series_by_path: dict[str, SeriesPage] = {}
    for lesson in lessons.iterator(chunk_size=200):
        parent_path = lesson.path[: -lesson.steplen]
        if parent_path not in series_by_path:
            series_by_path[parent_path] = (
                SeriesPage.objects.filter(path=parent_path)
                .prefetch_related("target_roles")
                .first()
            )
        yield lesson_document(
            lesson=lesson,
            series=series_by_path[parent_path],
            searchable=lesson.pk in searchable_ids,
        )


def lesson_ids_within(*, page: Page) -> list[int]:
    """The ids of every lesson at or below a page, live or not."""
    return list(
        LessonPage.objects.filter(path__startswith=page.path).values_list(
            "pk", flat=True
        )
    )


def lesson_search(
    *,
    query: str | ParsedQuery,
    filters: SearchFilters | None = None,
    offset: int = 0,
    limit: int = 10,
    engine: BaseSearchEngine | None = None,
    user=None,
    session: SessionLike = None,
) -> tuple[ParsedQuery, SearchResults]:
    """Search the lessons; return the query as understood and the results.

    With a `user`, a hit the person may not see (the index lags a change of
    visibility by one task) is dropped, by the visibility rule.
    """
    parsed = query if isinstance(query, ParsedQuery) else parse_query(query)
    engine = engine or get_search_engine()
    results = engine.search(
        parsed, filters=filters or SearchFilters(), offset=offset, limit=limit
    )
    if user is not None and results.hits:
        visible = page_ids_visible_to(
            page_ids=[hit.page_id for hit in results.hits], user=user, session=session
        )
        results.hits = [hit for hit in results.hits if hit.page_id in visible]
    return parsed, results


def lesson_title_suggestions(
    *,
    text: str,
    limit: int = 8,
    engine: BaseSearchEngine | None = None,
    user=None,
    session: SessionLike = None,
) -> list[Suggestion]:
    """Titles of searchable lessons containing what has been typed so far
    (with a `user`, only lessons that person may see)."""
    parsed = parse_query(text)
    if not parsed.text:
        return []
    found = (engine or get_search_engine()).suggest(parsed.text, limit=limit)
    if user is not None and found:
        visible = page_ids_visible_to(
            page_ids=[item.page_id for item in found], user=user, session=session
        )
        found = [item for item in found if item.page_id in visible]
    return found


def lesson_ids_for_admin_search(
    *,
    query: str,
    prefix: bool = False,
    limit: int = MAX_ADMIN_MATCHES,
    engine: BaseSearchEngine | None = None,
) -> list[int]:
    """Ids of every indexed lesson matching the query, best first, whether
    learners may find it or not.

    For the admin's page search (search.backends.wagtail_admin), which then
    keeps only the pages the person's page permissions show. `prefix` lets
    the last word be the beginning of a longer one, as the admin's
    search-as-you-type does.
    """
    parsed = parse_query(query)
    if parsed.is_empty:
        return []
    return (engine or get_search_engine()).page_ids(parsed, prefix=prefix, limit=limit)


def search_queries_logged(
    *, searched_from: datetime | None = None, searched_until: datetime | None = None
) -> QuerySet[SearchQuery]:
    """The query log, or the part of it recorded within the period given
    (either end may be open; both are included)."""
    queries = SearchQuery.objects.all()
    if searched_from is not None:
        queries = queries.filter(searched_at__gte=searched_from)
    if searched_until is not None:
        queries = queries.filter(searched_at__lte=searched_until)
    return queries


def search_queries_most_frequent(
    *, searched_from: datetime | None = None, searched_until: datetime | None = None
) -> QuerySet:
    """Queries by how often they were asked, with their mean number of results.

    Queries that differ only in width or case (ＵＳＢ, USB, usb) are one row,
    shown folded.
    """
    return (
        search_queries_logged(
            searched_from=searched_from, searched_until=searched_until
        )
        .values("query_folded")
        .annotate(
            searches=Count("pk"),
            average_results=Avg("result_count"),
            last_searched_at=Max("searched_at"),
        )
        .order_by("-searches", "query_folded")
    )


def search_queries_without_results(
    *, searched_from: datetime | None = None, searched_until: datetime | None = None
) -> QuerySet:
    """Queries that found nothing, most frequent first: what staff miss.

    Folded for width and case like search_queries_most_frequent.
    """
    return (
        search_queries_logged(
            searched_from=searched_from, searched_until=searched_until
        )
        .filter(result_count=0)
        .values("query_folded")
        .annotate(searches=Count("pk"), last_searched_at=Max("searched_at"))
        .order_by("-searches", "query_folded")
    )
