"""Background work for HR: the push of new ledger rows to the LRS."""

from __future__ import annotations

import logging
import uuid

from django_tasks import TaskContext, task

from .lrs import lrs_configured
from .services import lrs_push

logger = logging.getLogger("gofun.hr_export")


@task(takes_context=True)
def lrs_push_task(context: TaskContext) -> dict:
    """Send whatever the LRS has not got yet (see hr_export.services).

    The task's id names it in the outbox's leases: if its worker dies while a
    batch is out, the task runs again (task_worker) under the same id and
    sends that batch again at once; the LRS keeps a statement id once.
    """
    if not lrs_configured():
        return {"configured": False}
    try:
        sender = uuid.uuid5(uuid.NAMESPACE_URL, f"gofun-task:{context.task_result.id}")
        return lrs_push(sender=sender).as_dict()
    except Exception:
        # A queue runs this far from any request; say what failed.
        logger.exception("Pushing completion records to the LRS failed")
        raise
