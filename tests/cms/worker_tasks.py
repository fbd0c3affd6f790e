"""A task for the worker tests: it leaves a file where it is told to."""

from __future__ import annotations

from pathlib import Path

from django_tasks import task


@task()
def leave_a_mark(path: str) -> str:
    Path(path).write_text("done", "utf-8")
    return path
