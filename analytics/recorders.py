"""Where a view event goes once the lesson page has made it: the recorder.

The setting GOFUN_VIEW_RECORDER = {"BACKEND": "dotted.path"} chooses one, as
Wagtail chooses search backends. The default writes the row at once with a
single INSERT. The event's id is made before it is written (see
analytics.services.new_view_id), so a recorder that queues events and writes
them in batches off the request can replace it without changing the page,
the signed id the page carries or the beacon.

A recorder never raises: the page is served whatever happens to the event.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils.module_loading import import_string

from .bulk import insert_rows
from .models import VIEW_FIELDS, LessonView, view_row

logger = logging.getLogger("gofun.analytics")


class BaseViewRecorder:
    def record(self, view: LessonView) -> bool:
        """Keep the event; say whether it was kept."""
        raise NotImplementedError


class DatabaseViewRecorder(BaseViewRecorder):
    """One INSERT in the request; a database that refuses it is logged.

    The row is written as it stands (insert_rows), not through Model.save,
    which spends more time in Python than the database spends on the row.
    """

    def record(self, view: LessonView) -> bool:
        row = [view_row(view)]
        try:
            if connection.in_atomic_block:
                # Inside someone's transaction a failed INSERT must not spoil
                # it (PostgreSQL aborts the whole transaction): a savepoint.
                with transaction.atomic():
                    insert_rows(LessonView, VIEW_FIELDS, row)
            else:
                insert_rows(LessonView, VIEW_FIELDS, row)
        except DatabaseError:
            logger.exception(
                "Could not record view %s of lesson %s (revision %s) by user %s",
                view.pk,
                view.lesson_id,
                view.revision_id,
                view.user_id,
            )
            return False
        return True


_recorder: tuple[str, BaseViewRecorder] | None = None


def get_view_recorder() -> BaseViewRecorder:
    """The recorder named by GOFUN_VIEW_RECORDER (one instance per process)."""
    global _recorder
    path = settings.GOFUN_VIEW_RECORDER["BACKEND"]
    if _recorder is None or _recorder[0] != path:
        _recorder = (path, import_string(path)())
    return _recorder[1]
