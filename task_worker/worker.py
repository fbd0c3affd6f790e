"""django-tasks-db's worker with a heartbeat and a sweep for lost tasks.

The heartbeat runs in a thread of its own, with its own database
connection, so a long task does not stop it; the same thread sweeps (see
task_worker.services) every GOFUN_TASK_WORKER_SWEEP_EVERY heartbeats.
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import connection
from django_tasks_db.management.commands.db_worker import Worker

from .services import lost_tasks_requeue, worker_heartbeat, worker_stopped

logger = logging.getLogger("gofun.task_worker")


class HeartbeatWorker(Worker):
    def run(self) -> None:
        worker_heartbeat(worker_id=self.worker_id)
        stop = threading.Event()
        beating = threading.Thread(
            target=self._beat, args=(stop,), name="heartbeat", daemon=True
        )
        beating.start()
        try:
            super().run()
        finally:
            stop.set()
            beating.join(timeout=settings.GOFUN_TASK_WORKER_HEARTBEAT * 2)
            worker_stopped(worker_id=self.worker_id)

    def _beat(self, stop: threading.Event) -> None:
        beats = 0
        try:
            while not stop.wait(settings.GOFUN_TASK_WORKER_HEARTBEAT):
                try:
                    worker_heartbeat(worker_id=self.worker_id)
                    if beats % settings.GOFUN_TASK_WORKER_SWEEP_EVERY == 0:
                        lost_tasks_requeue()
                except Exception:
                    # The database may be away for a while; the next beat tries
                    # again, and the worker's own loop reports a lasting fault.
                    logger.exception("Task worker %s: heartbeat failed", self.worker_id)
                    connection.close()
                beats += 1
        finally:
            connection.close()
