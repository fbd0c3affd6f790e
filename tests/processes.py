"""Running manage.py in a child process, as an operator or CI would."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection


def child_environment(**overrides: str) -> dict[str, str]:
    """This process's environment without Gofun's own settings, plus `overrides`.

    The test run's DJANGO_SETTINGS_MODULE, DATABASE_URL and GOFUN_* variables
    must not leak into a child meant to run under other settings.
    """
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("GOFUN_", "DATABASE_URL", "DJANGO_"))
    }
    environment.update(overrides)
    return environment


def manage(*args: str, environment: dict[str, str]) -> subprocess.CompletedProcess:
    """Run `manage.py ARGS` in a child process with `environment` over a clean one."""
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=child_environment(**environment),
        capture_output=True,
        text=True,
        timeout=120,
    )


def child_database_url() -> str:
    """DATABASE_URL for a child process to use the database the tests use."""
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    credentials = quote(database["USER"] or "", safe="")
    if database["PASSWORD"]:
        credentials += ":" + quote(database["PASSWORD"], safe="")
    host = quote(database["HOST"] or "localhost", safe="")
    port = f":{database['PORT']}" if database["PORT"] else ""
    return f"postgres://{credentials}@{host}{port}/{database['NAME']}"


def free_port() -> int:
    """A free TCP port on 127.0.0.1 for a server a test starts.

    GOFUN_TEST_PORTS ("8601-8609") keeps them within a range, for machines
    where each developer has ports of their own; otherwise the system picks.
    """
    first, _, last = os.environ.get("GOFUN_TEST_PORTS", "").partition("-")
    candidates = range(int(first), int(last or first) + 1) if first else [0]
    for port in candidates:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise RuntimeError(f"No free port in GOFUN_TEST_PORTS={first}-{last}")


def wait_until(condition, *, timeout: float = 180, message: str = "") -> None:
    """Poll `condition` until it is true; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(message or f"Still waiting after {timeout} s")
        time.sleep(0.1)


class WorkerProcess:
    """`manage.py db_worker` in a child process on the tests' database.

    The tests' database must hold what the worker should see: use it from
    transactional tests (django_db(transaction=True)).
    """

    def __init__(self, log: Path, **environment: str):
        self.log = log
        self.environment = environment
        self.process: subprocess.Popen | None = None

    def start(self) -> WorkerProcess:
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(  # noqa: S603
                [
                    sys.executable,
                    "manage.py",
                    "db_worker",
                    "--interval",
                    "0.1",
                    "--no-startup-delay",
                    "--no-reload",
                ],
                cwd=settings.BASE_DIR,
                env=child_environment(
                    DJANGO_SETTINGS_MODULE="cms.settings.test",
                    DATABASE_URL=child_database_url(),
                    **self.environment,
                ),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        return self

    def stop(self) -> None:
        """Stop it as a service manager does (SIGTERM) and wait for it."""
        if self.process is None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def output(self) -> str:
        return self.log.read_text("utf-8", "replace")[-4000:]
