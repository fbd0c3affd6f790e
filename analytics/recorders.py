"""Where a view event goes once the lesson page has made it: the recorder.

The setting GOFUN_VIEW_RECORDER = {"BACKEND": "dotted.path", "OPTIONS": {}}
chooses one, as Wagtail chooses search backends. The default writes the row
at once with a single INSERT. The event's id is made before it is written
(see analytics.services.new_view_id), so BufferedViewRecorder, which queues
events in the process and writes them in batches off the request, replaces
it without changing the page, the signed id the page carries or the beacon.

A recorder never raises: the page is served whatever happens to the event.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
import time

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

    def flush(self) -> int:
        """Write what this process still holds; return how many rows."""
        return 0


def _insert(rows: list[tuple]) -> int:
    """Insert view rows; a database that refuses them is logged, and a batch
    refused whole (an id taken) is tried row by row. Returns rows written."""
    try:
        if connection.in_atomic_block:
            # Inside someone's transaction a failed INSERT must not spoil
            # it (PostgreSQL aborts the whole transaction): a savepoint.
            with transaction.atomic():
                return insert_rows(LessonView, VIEW_FIELDS, rows)
        return insert_rows(LessonView, VIEW_FIELDS, rows)
    except DatabaseError:
        if len(rows) > 1:
            return sum(_insert([row]) for row in rows)
        view = dict(zip(VIEW_FIELDS, rows[0], strict=True))
        logger.exception(
            "Could not record view %s of lesson %s (revision %s) by user %s",
            view["id"],
            view["lesson"],
            view["revision"],
            view["user"],
        )
        return 0


class DatabaseViewRecorder(BaseViewRecorder):
    """One INSERT in the request; a database that refuses it is logged.

    The row is written as it stands (insert_rows), not through Model.save,
    which spends more time in Python than the database spends on the row.
    """

    def record(self, view: LessonView) -> bool:
        return _insert([view_row(view)]) == 1


class BufferedViewRecorder(BaseViewRecorder):
    """Keeps events in the process and writes them in one INSERT of many
    rows, off the reader's request: when `batch_size` are waiting, when the
    oldest has waited `max_wait_seconds` (a background thread looks), and
    when the process exits cleanly (gunicorn's graceful stop, a deploy).

    A process killed outright loses what it held (at most one batch or one
    interval of views). The beacon's report and 「読み終えました」 need the
    row: they flush this process's events first (analytics.services and
    selectors), and another process's land within `max_wait_seconds`, well
    before a reader reaches the last slide. Process-local by design: no
    round trip to a shared store for each view, which is the cost saved.
    """

    def __init__(self, *, batch_size: int = 100, max_wait_seconds: float = 1.0):
        self.batch_size = batch_size
        self.max_wait_seconds = max_wait_seconds
        self._lock = threading.Lock()
        self._pending: list[tuple] = []
        self._oldest = 0.0
        self._pid = os.getpid()
        self._thread: threading.Thread | None = None
        self._stopped = threading.Event()
        atexit.register(self.flush)

    def _in_this_process(self) -> None:
        # A forked worker starts with a copy of its parent's buffer and no
        # thread: the parent writes its own rows, the child its own.
        if self._pid != os.getpid():
            self._pid = os.getpid()
            self._lock = threading.Lock()
            self._pending = []
            self._thread = None
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(
                target=self._flush_now_and_then,
                name="gofun-view-recorder",
                daemon=True,
            )
            self._thread.start()

    def _flush_now_and_then(self) -> None:
        from django.db import connections

        while not self._stopped.wait(self.max_wait_seconds / 2):
            if self._pending and time.monotonic() - self._oldest >= (
                self.max_wait_seconds
            ):
                self.flush()
        connections.close_all()

    def record(self, view: LessonView) -> bool:
        row = view_row(view)
        with self._lock:
            self._in_this_process()
            if not self._pending:
                self._oldest = time.monotonic()
            self._pending.append(row)
            full = len(self._pending) >= self.batch_size
        if full:
            self.flush()
        return True

    def flush(self) -> int:
        with self._lock:
            rows, self._pending = self._pending, []
        if not rows:
            return 0
        return _insert(rows)

    def close(self) -> int:
        """Stop the background thread and write what is held."""
        self._stopped.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
        return self.flush()

    def pending(self) -> int:
        """How many events this process holds (for tests and the bench)."""
        return len(self._pending)


_recorder: tuple[tuple[str, str], BaseViewRecorder] | None = None


def get_view_recorder() -> BaseViewRecorder:
    """The recorder named by GOFUN_VIEW_RECORDER (one instance per process)."""
    global _recorder
    path = settings.GOFUN_VIEW_RECORDER["BACKEND"]
    options = settings.GOFUN_VIEW_RECORDER.get("OPTIONS", {})
    if _recorder is None or _recorder[0] != (path, repr(options)):
        if _recorder is not None:
            _recorder[1].flush()
        _recorder = ((path, repr(options)), import_string(path)(**options))
    return _recorder[1]
