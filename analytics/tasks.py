"""Background work of view logging (django-tasks): roll-ups and the purge.

The dashboard queues the catch-up for the worker and shows the roll-ups as
they stand; the commands (rollup_views, needs_report) call the same tasks in
their own process, so what they print is current.
"""

from __future__ import annotations

import datetime
import logging

from django_tasks import task

from .rollups import rollup_days, rollups_catch_up, view_events_purge

logger = logging.getLogger("gofun.analytics")


@task()
def rollup_days_task(days: list[str]) -> dict:
    """Roll up the given days (ISO dates), again if they were already."""
    try:
        outcome = rollup_days(days=[datetime.date.fromisoformat(day) for day in days])
    except Exception:
        logger.exception("Rolling up views failed for days %s", days)
        raise
    return {
        "days": [day.isoformat() for day in outcome.days],
        "views": outcome.views,
        "kept": [day.isoformat() for day in outcome.kept],
    }


@task()
def rollups_catch_up_task() -> dict:
    """Roll up every day not yet (or not completely) rolled up, and today."""
    try:
        outcome = rollups_catch_up()
    except Exception:
        logger.exception("Catching up the view roll-ups failed")
        raise
    return {"days": [day.isoformat() for day in outcome.days], "views": outcome.views}


@task()
def view_events_purge_task() -> dict:
    """Delete raw view events past the retention period; roll-ups stay."""
    try:
        outcome = view_events_purge()
    except Exception:
        logger.exception("Purging old view events failed")
        raise
    return {"before": outcome.before.isoformat(), "deleted": outcome.events_deleted}
