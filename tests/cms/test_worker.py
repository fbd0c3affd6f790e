"""Background tasks wait in the database for a worker, and survive a restart;
`make run` (bin/serve) runs the worker beside the web server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django_tasks import TaskResultStatus

from tests.processes import (
    WorkerProcess,
    child_database_url,
    child_environment,
    free_port,
    manage,
    wait_until,
)

from .test_settings import PRODUCTION_ENVIRONMENT
from .worker_tasks import leave_a_mark

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_task_queued_while_the_worker_is_stopped_runs_when_it_starts_again(
    tmp_path,
):
    worker = WorkerProcess(tmp_path / "worker.log").start()
    try:
        before = leave_a_mark.enqueue(str(tmp_path / "before"))
        wait_until((tmp_path / "before").exists, message=worker.output())
        worker.stop()

        queued = leave_a_mark.enqueue(str(tmp_path / "queued"))
        assert leave_a_mark.get_result(queued.id).status == TaskResultStatus.READY
        assert not (tmp_path / "queued").exists()

        worker.start()
        wait_until((tmp_path / "queued").exists, message=worker.output())
    finally:
        worker.stop()

    assert leave_a_mark.get_result(before.id).status == TaskResultStatus.SUCCESSFUL
    wait_until(
        lambda: leave_a_mark.get_result(queued.id).status == TaskResultStatus.SUCCESSFUL
    )


def _session_processes(session_id: int) -> list[str]:
    """Command lines of the processes in a session (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        # After the command: state, ppid, pgrp, session.
        if int(fields[3]) == session_id and fields[0] != "Z":
            found.append(command)
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_serve_runs_the_site_and_the_worker_and_ctrl_c_stops_both(tmp_path):
    port = free_port()
    serve = subprocess.Popen(  # noqa: S603
        [str(settings.BASE_DIR / "bin" / "serve"), f"127.0.0.1:{port}"],
        cwd=settings.BASE_DIR,
        env=child_environment(
            DJANGO_SETTINGS_MODULE="cms.settings.test",
            DATABASE_URL=child_database_url(),
            PYTHON=sys.executable,
        ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        # A session of its own, as a terminal gives `make run`, with Ctrl-C
        # heard even when this test run was started in the background (which
        # leaves SIGINT ignored, and a shell cannot trap what it inherits
        # ignored).
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # noqa: PLW1509
    )
    try:

        def answers() -> bool:
            try:
                with urllib.request.urlopen(  # noqa: S310
                    f"http://127.0.0.1:{port}/healthz", timeout=2
                ) as response:
                    return response.status == 200
            except OSError:
                return False

        wait_until(answers, timeout=90)
        leave_a_mark.enqueue(str(tmp_path / "served"))
        wait_until((tmp_path / "served").exists)
        running = " ".join(_session_processes(serve.pid))
        assert "db_worker" in running
        assert "runserver" in running

        # Ctrl-C: the terminal signals its foreground process group.
        os.killpg(serve.pid, signal.SIGINT)
        serve.wait(timeout=180)
        wait_until(lambda: not _session_processes(serve.pid), timeout=30)
        assert not answers()
    finally:
        if serve.poll() is None:
            os.killpg(serve.pid, signal.SIGKILL)
        left = _session_processes(serve.pid)
        # Stop them before failing: a worker left polling the tests' database
        # would take later tests' tasks.
        subprocess.run(["pkill", "-KILL", "-s", str(serve.pid)], check=False)  # noqa: S603, S607
        if left:
            pytest.fail(f"left running: {left}")


@pytest.mark.parametrize(
    "environment",
    [
        {"DJANGO_SETTINGS_MODULE": "cms.settings.dev"},
        PRODUCTION_ENVIRONMENT,
    ],
    ids=["dev", "production"],
)
def test_dev_and_production_queue_tasks_in_the_database(environment, tmp_path):
    result = manage(
        "shell",
        "--verbosity",
        "0",
        "-c",
        "from django.conf import settings; print(settings.TASKS['default']['BACKEND'])",
        environment={"DATABASE_URL": f"sqlite:///{tmp_path}/unused.db", **environment},
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django_tasks_db.DatabaseBackend"
