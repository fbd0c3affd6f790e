"""Background work that keeps the search index right (django-tasks).

The tasks are queued when the publishing transaction commits (see
signal_handlers) in the database queue (django-tasks-db), and a worker
(`manage.py db_worker`, started by `make run`) runs them: a failure can never
undo a publication, it is logged, the queue survives a restart, and
`rebuild_search_index` repairs any gap.
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
