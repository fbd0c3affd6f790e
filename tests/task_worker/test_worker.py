"""`manage.py db_worker` is ours (task_worker): a worker killed mid-task
(SIGKILL, as the out-of-memory killer does) does not strand its task; another
worker runs it again once the dead one's heartbeat is old."""

from __future__ import annotations

import signal
import time

import pytest
from django_tasks import TaskResultStatus

from tests.processes import WorkerProcess, wait_until

from .tasks import wait_for_leave

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FAST = {"GOFUN_TASK_WORKER_HEARTBEAT": "0.2", "GOFUN_TASK_WORKER_LOST_AFTER": "1"}


def lines(path) -> int:
    return len(path.read_text("utf-8").splitlines()) if path.exists() else 0


def test_a_task_whose_worker_was_killed_runs_again_under_another_worker(tmp_path):
    started, leave = tmp_path / "started", tmp_path / "leave"
    first = WorkerProcess(tmp_path / "first.log", **FAST).start()
    second = WorkerProcess(tmp_path / "second.log", **FAST)
    try:
        result = wait_for_leave.enqueue(str(started), str(leave))
        wait_until(lambda: lines(started) == 1, message=first.output())
        first.process.send_signal(signal.SIGKILL)
        first.process.wait(timeout=30)

        second.start()
        wait_until(lambda: lines(started) == 2, message=second.output())
        leave.touch()
        wait_until(
            lambda: (
                wait_for_leave.get_result(result.id).status
                == TaskResultStatus.SUCCESSFUL
            ),
            message=second.output(),
        )
    finally:
        leave.touch()
        second.stop()

    finished = wait_for_leave.get_result(result.id)
    assert len(finished.worker_ids) == 2
    assert finished.return_value == "left"


def test_a_live_workers_long_task_is_not_run_twice(tmp_path):
    started, leave = tmp_path / "started", tmp_path / "leave"
    worker = WorkerProcess(tmp_path / "worker.log", **FAST).start()
    try:
        result = wait_for_leave.enqueue(str(started), str(leave))
        wait_until(lambda: lines(started) == 1, message=worker.output())
        # Longer than GOFUN_TASK_WORKER_LOST_AFTER: several sweeps go by.
        time.sleep(3)
        leave.touch()
        wait_until(
            lambda: (
                wait_for_leave.get_result(result.id).status
                == TaskResultStatus.SUCCESSFUL
            ),
            message=worker.output(),
        )
    finally:
        leave.touch()
        worker.stop()

    assert lines(started) == 1
    assert len(wait_for_leave.get_result(result.id).worker_ids) == 1
