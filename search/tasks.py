"""Background work that keeps the search index right (django-tasks).

Every environment runs these on django-tasks' ImmediateBackend, after the
publishing transaction commits (see signal_handlers): updating one lesson in
the embedded engine costs tens of milliseconds, a failure can never undo a
publication, it is logged, and `rebuild_search_index` repairs any gap. A
queue with a worker (django-tasks-db) would add a process to run and watch on
an intranet server for no gain yet; switch the TASKS backend to it when the
index lives in Elasticsearch or other background work needs a worker. The
handlers and tasks stay as they are.
"""

from __future__ import annotations

import logging

from django_tasks import task

from .services import search_index_remove, search_index_update

logger = logging.getLogger("gofun.search")


@task()
def search_index_update_task(page_ids: list[int]) -> dict[str, int]:
    """Reindex searchable lessons among page_ids and drop the others."""
    try:
        return search_index_update(page_ids=page_ids)
    except Exception:
        # A queue may run this far from any request; say what failed.
        logger.exception("Updating the search index failed for pages %s", page_ids)
        raise


@task()
def search_index_remove_task(page_ids: list[int]) -> None:
    """Drop deleted pages from the index."""
    try:
        search_index_remove(page_ids=page_ids)
    except Exception:
        logger.exception("Removing pages %s from the search index failed", page_ids)
        raise
