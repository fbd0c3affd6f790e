"""Background work for HR: the push of new ledger rows to the LRS."""

from __future__ import annotations

import logging

from django_tasks import task

from .lrs import lrs_configured
from .services import lrs_push

logger = logging.getLogger("gofun.hr_export")


@task()
def lrs_push_task() -> dict:
    """Send whatever the LRS has not got yet (see hr_export.services)."""
    if not lrs_configured():
        return {"configured": False}
    try:
        return lrs_push().as_dict()
    except Exception:
        # A queue runs this far from any request; say what failed.
        logger.exception("Pushing completion records to the LRS failed")
        raise
