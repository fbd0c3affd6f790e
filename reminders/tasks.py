"""The day's reminders as a background task (django-tasks), for whatever
backend settings choose; the command does the same from cron or a timer."""

from __future__ import annotations

import datetime
import logging

from django_tasks import task

from .services import training_reminders_send

logger = logging.getLogger("gofun.reminders")


@task()
def send_training_reminders_task(today: str | None = None) -> dict[str, int]:
    """Send the reminders and escalations of `today` (YYYY-MM-DD; the local
    date when None). Safe to run twice: the log decides what is sent."""
    try:
        run = training_reminders_send(
            today=datetime.date.fromisoformat(today) if today else None
        )
    except Exception:
        logger.exception("Sending the training reminders of %s failed", today)
        raise
    return run.as_json()
