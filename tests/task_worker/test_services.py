"""A task left running by a worker that died is queued again, once per
death and at most GOFUN_TASK_MAX_RUNS times; live workers keep theirs."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from task_worker.models import WorkerHeartbeat
from task_worker.services import (
    lost_tasks_requeue,
    worker_heartbeat,
    worker_stopped,
)

from .tasks import count_a_run

pytestmark = pytest.mark.django_db

LOST_AFTER = datetime.timedelta(seconds=60)


def running_task(*, workers: list[str], started_ago: datetime.timedelta):
    result = count_a_run.enqueue("/nonexistent")
    DBTaskResult.objects.filter(id=result.id).update(
        status=TaskResultStatus.RUNNING,
        worker_ids=workers,
        started_at=timezone.now() - started_ago,
    )
    return DBTaskResult.objects.get(id=result.id)


def seen(worker_id: str, ago: datetime.timedelta) -> None:
    worker_heartbeat(worker_id=worker_id)
    WorkerHeartbeat.objects.filter(worker_id=worker_id).update(
        seen_at=timezone.now() - ago
    )


def test_a_heartbeat_records_the_worker_then_refreshes_it():
    worker_heartbeat(worker_id="w1")
    first = WorkerHeartbeat.objects.get(worker_id="w1").seen_at

    worker_heartbeat(worker_id="w1")

    beat = WorkerHeartbeat.objects.get(worker_id="w1")
    assert beat.seen_at >= first
    assert beat.started_at <= first
    assert WorkerHeartbeat.objects.count() == 1


def test_a_worker_that_stops_cleanly_is_forgotten():
    worker_heartbeat(worker_id="w1")

    worker_stopped(worker_id="w1")

    assert not WorkerHeartbeat.objects.exists()


def test_the_task_of_a_worker_not_seen_for_a_while_is_queued_again():
    seen("dead", ago=datetime.timedelta(minutes=5))
    task = running_task(workers=["dead"], started_ago=datetime.timedelta(minutes=5))

    outcome = lost_tasks_requeue(lost_after=LOST_AFTER, max_runs=3)

    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY
    assert outcome.requeued == [str(task.id)]


def test_a_task_whose_worker_never_wrote_a_heartbeat_counts_as_lost():
    task = running_task(workers=["gone"], started_ago=datetime.timedelta(minutes=5))

    lost_tasks_requeue(lost_after=LOST_AFTER, max_runs=3)

    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY


def test_a_live_workers_long_task_is_left_alone():
    seen("alive", ago=datetime.timedelta(seconds=2))
    task = running_task(workers=["alive"], started_ago=datetime.timedelta(hours=1))

    outcome = lost_tasks_requeue(lost_after=LOST_AFTER, max_runs=3)

    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING
    assert outcome.requeued == []


def test_a_task_just_claimed_is_left_alone_whatever_its_worker():
    task = running_task(workers=["new"], started_ago=datetime.timedelta(seconds=5))

    lost_tasks_requeue(lost_after=LOST_AFTER, max_runs=3)

    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING


def test_a_task_that_lost_its_worker_max_runs_times_fails_with_the_reason():
    task = running_task(
        workers=["a", "b", "c"], started_ago=datetime.timedelta(minutes=5)
    )

    outcome = lost_tasks_requeue(lost_after=LOST_AFTER, max_runs=3)

    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    assert task.exception_class_path == "task_worker.services.WorkerLost"
    assert "died 3 times" in task.traceback
    assert outcome.failed == [str(task.id)]


def test_finished_and_waiting_tasks_are_never_touched():
    waiting = count_a_run.enqueue("/nonexistent")
    done = running_task(workers=["x"], started_ago=datetime.timedelta(minutes=5))
    DBTaskResult.objects.filter(id=done.id).update(status=TaskResultStatus.SUCCESSFUL)

    outcome = lost_tasks_requeue(lost_after=LOST_AFTER, max_runs=3)

    assert outcome.requeued == []
    assert DBTaskResult.objects.get(id=waiting.id).status == TaskResultStatus.READY
    assert DBTaskResult.objects.get(id=done.id).status == TaskResultStatus.SUCCESSFUL
