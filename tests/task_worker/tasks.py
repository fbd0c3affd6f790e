"""Tasks for the worker tests: one that appends a line per run, and one that
holds its worker until told to go on (so a test can kill it mid-task)."""

from __future__ import annotations

import time
from pathlib import Path

from django_tasks import task


@task()
def count_a_run(path: str) -> int:
    with open(path, "a", encoding="utf-8") as runs:
        runs.write("run\n")
    return len(Path(path).read_text("utf-8").splitlines())


@task()
def wait_for_leave(started: str, leave: str) -> str:
    """Mark that it started, then wait (at most a minute) for `leave` to exist."""
    with open(started, "a", encoding="utf-8") as marks:
        marks.write("started\n")
    deadline = time.monotonic() + 60
    while not Path(leave).exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return "left"
