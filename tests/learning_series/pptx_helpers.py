"""Run the PowerPoint commands in-process or as a real subprocess."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management import CommandError, call_command

from tests.processes import child_database_url, child_environment

PROJECT = Path(__file__).resolve().parents[2]
MEASURE = Path(__file__).resolve().parent / "measure_peak_memory.py"


@dataclass
class Outcome:
    status: int
    stdout: str
    stderr: str

    @property
    def json(self) -> dict:
        return json.loads(self.stdout)


def import_pptx(
    path: Path, *, series: str, owner: str, as_json: bool = True
) -> Outcome:
    stdout, stderr = io.StringIO(), io.StringIO()
    options = ["--json"] if as_json else []
    try:
        call_command(
            "import_pptx",
            str(path),
            "--series",
            series,
            "--owner",
            owner,
            *options,
            stdout=stdout,
            stderr=stderr,
        )
    except CommandError as error:
        return Outcome(error.returncode, stdout.getvalue(), str(error))
    return Outcome(0, stdout.getvalue(), stderr.getvalue())


@dataclass
class ProcessOutcome(Outcome):
    peak_memory_bytes: int
    media_root: Path


def run_manage(*args: str, tmp_path: Path) -> ProcessOutcome:
    """Run manage.py in a child process on the test database; measure its peak RSS."""
    report = tmp_path / "peak-memory.txt"
    environment = child_environment(
        DJANGO_SETTINGS_MODULE="cms.settings.test",
        DATABASE_URL=child_database_url(),
        GOFUN_PEAK_MEMORY_REPORT=str(report),
        PYTHONWARNINGS="ignore",
    )
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, str(MEASURE), "manage.py", *args],
        cwd=PROJECT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    stdout, stderr = process.communicate(timeout=300)
    # The test settings name the media root after the process id.
    media_root = Path(str(settings.MEDIA_ROOT).rsplit("-", 1)[0] + f"-{process.pid}")
    return ProcessOutcome(
        status=process.returncode,
        stdout=stdout,
        stderr=stderr,
        peak_memory_bytes=int(report.read_text()),
        media_root=media_root,
    )
