"""Keeping the database task queue whole when a worker dies.

django-tasks-db marks a task RUNNING when a worker claims it and never looks
at it again: a worker killed with SIGKILL (or by the out-of-memory killer, or
with its machine) leaves the task RUNNING for ever, and it never runs. Here
each worker writes a heartbeat, and every worker sweeps now and then: a task
RUNNING under a worker not seen for GOFUN_TASK_WORKER_LOST_AFTER goes back to
READY and runs again, unless it has been claimed GOFUN_TASK_MAX_RUNS times
already (a task that kills its worker every time), when it is marked FAILED
with the reason. Every Gofun task is idempotent, so running one again is safe.
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import WorkerHeartbeat

logger = logging.getLogger("gofun.task_worker")

# How long a heartbeat of a worker that is gone is kept, for inspection.
HEARTBEAT_KEPT_FOR = datetime.timedelta(days=7)


class WorkerLost(Exception):  # noqa: N818 - the name is what the admin shows
    """Recorded as the failure of a task whose worker died once too often."""


@dataclass
class SweepOutcome:
    requeued: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def worker_heartbeat(*, worker_id: str) -> None:
    """Record that this worker is alive now (creating its row the first time)."""
    now = timezone.now()
    updated = WorkerHeartbeat.objects.filter(worker_id=worker_id).update(seen_at=now)
    if not updated:
        WorkerHeartbeat.objects.update_or_create(
            worker_id=worker_id,
            defaults={
                "hostname": socket.gethostname()[:255],
                "pid": os.getpid(),
                "started_at": now,
                "seen_at": now,
            },
        )


def worker_stopped(*, worker_id: str) -> None:
    """Forget a worker that stops cleanly (its tasks are finished)."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def lost_tasks_requeue(
    *,
    lost_after: datetime.timedelta | None = None,
    max_runs: int | None = None,
    now: datetime.datetime | None = None,
) -> SweepOutcome:
    """Put the tasks of workers not seen for `lost_after` back in the queue.

    A task started less than `lost_after` ago is left alone whatever its
    worker, so a worker that has just claimed a task is never robbed of it.
    Rows are locked (skipping those another sweep holds), so two workers
    sweeping at once requeue a task once.
    """
    lost_after = lost_after or datetime.timedelta(
        seconds=settings.GOFUN_TASK_WORKER_LOST_AFTER
    )
    max_runs = max_runs or settings.GOFUN_TASK_MAX_RUNS
    now = now or timezone.now()
    cutoff = now - lost_after
    outcome = SweepOutcome()
    with transaction.atomic():
        alive = set(
            WorkerHeartbeat.objects.filter(seen_at__gte=cutoff).values_list(
                "worker_id", flat=True
            )
        )
        running = (
            DBTaskResult.objects.running()
            .filter(started_at__lt=cutoff)
            .select_for_update(skip_locked=True)
        )
        for task_result in running:
            last_worker = task_result.worker_ids[-1] if task_result.worker_ids else ""
            if last_worker in alive:
                continue
            runs = len(task_result.worker_ids)
            if runs >= max_runs:
                task_result.status = TaskResultStatus.FAILED
                task_result.finished_at = now
                task_result.exception_class_path = (
                    f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"
                )
                task_result.traceback = (
                    f"The worker running this task died {runs} times "
                    f"(last: {last_worker}); it is not run again."
                )
                task_result.save(
                    update_fields=[
                        "status",
                        "finished_at",
                        "exception_class_path",
                        "traceback",
                    ]
                )
                outcome.failed.append(str(task_result.id))
                logger.error(
                    "Task %s (%s) failed: its worker died %s times, last %s",
                    task_result.id,
                    task_result.task_path,
                    runs,
                    last_worker,
                )
                continue
            task_result.status = TaskResultStatus.READY
            task_result.save(update_fields=["status"])
            outcome.requeued.append(str(task_result.id))
            logger.warning(
                "Task %s (%s) queued again: its worker %s was last seen before %s",
                task_result.id,
                task_result.task_path,
                last_worker,
                cutoff.isoformat(),
            )
        WorkerHeartbeat.objects.filter(seen_at__lt=now - HEARTBEAT_KEPT_FOR).delete()
    return outcome
