"""Writes for search: keeping the index right and recording the query log."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import DatabaseError, transaction
from django.utils import timezone

from organisation.selectors import staff_roles

from .analysis import ParsedQuery, fold
from .backends.base import BaseSearchEngine, get_search_engine
from .models import SearchQuery
from .selectors import lesson_documents

logger = logging.getLogger("gofun.search")


def search_index_update(
    *, page_ids: Iterable[int], engine: BaseSearchEngine | None = None
) -> dict[str, int]:
    """Bring these pages' index entries up to date.

    Lessons are (re)indexed, marked searchable when learners may find them
    (drafts, private and unpublished lessons stay for the admin's search);
    every other page id given (a deleted page, a page that is no lesson) is
    removed.
    """
    page_ids = set(page_ids)
    engine = engine or get_search_engine()
    documents = list(lesson_documents(page_ids=page_ids))
    indexed = engine.index(documents)
    removed = page_ids - {document.page_id for document in documents}
    if removed:
        engine.remove(sorted(removed))
    return {"indexed": indexed, "removed": len(removed)}


def search_index_remove(
    *, page_ids: Iterable[int], engine: BaseSearchEngine | None = None
) -> None:
    """Remove these pages from the index."""
    (engine or get_search_engine()).remove(sorted(set(page_ids)))


def search_index_rebuild(*, engine: BaseSearchEngine | None = None) -> int:
    """Index every lesson from scratch; return how many."""
    engine = engine or get_search_engine()
    count = engine.rebuild(lesson_documents())
    logger.info("Search index rebuilt with %d lessons", count)
    return count


def search_query_record(
    *, query: ParsedQuery, result_count: int, user
) -> SearchQuery | None:
    """Log a search for needs analysis: the query, results, roles and hour.

    The searcher is not recorded, only their job roles; the time is kept to
    the hour so that an entry cannot be matched to a person through other
    logs. The query is kept as typed and folded for width and case, which
    the reports group by. Empty queries are not logged. A database that
    refuses the entry (read-only, a revoked grant) is logged and the search
    is answered all the same: the entry is lost, as a view would be.
    """
    if query.is_empty:
        return None
    try:
        with transaction.atomic():
            entry = SearchQuery.objects.create(
                query=query.text[:200],
                query_folded=fold(query.text)[:200],
                result_count=result_count,
                searched_at=timezone.now().replace(minute=0, second=0, microsecond=0),
            )
            if user is not None and user.is_authenticated:
                entry.job_roles.set(staff_roles(user=user))
    except DatabaseError:
        logger.exception("Could not record a search (%d results)", result_count)
        return None
    return entry
