"""Running manage.py in a child process, as an operator or CI would."""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings


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
