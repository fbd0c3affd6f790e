"""A real Ralph LRS for the tests: installed on first use, started and
stopped on a free port, asked what it holds.

Ralph runs from var/ralph, a venv of its own made from ralph-requirements.txt
the first time a test needs it (and again when the file changes), so `make
test` and CI need no step of their own.
"""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests
from django.conf import settings

from tests.processes import free_port

HERE = Path(__file__).resolve().parent
REQUIREMENTS = HERE / "ralph-requirements.txt"
APPENDING_LAUNCHER = HERE / "ralph_appending_lrs.py"
VENV = settings.BASE_DIR / "var" / "ralph"
USERNAME = "gofun-hr"
PASSWORD = "ralph-test-password"  # noqa: S105 -- a throwaway test LRS


def ralph_bin() -> Path:
    """Ralph's venv's bin directory, installing Ralph there if need be."""
    stamp = VENV / ".installed"
    wanted = REQUIREMENTS.read_text("utf-8")
    if stamp.exists() and stamp.read_text("utf-8") == wanted:
        return VENV / "bin"
    VENV.parent.mkdir(parents=True, exist_ok=True)
    with open(VENV.parent / "ralph.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (stamp.exists() and stamp.read_text("utf-8") == wanted):
            base_python = getattr(sys, "_base_executable", sys.executable)
            subprocess.run(  # noqa: S603
                [base_python, "-m", "venv", "--clear", str(VENV)],
                check=True,
                timeout=300,
            )
            installed = subprocess.run(  # noqa: S603
                [
                    str(VENV / "bin" / "python"),
                    "-m",
                    "pip",
                    "install",
                    "--quiet",
                    "-r",
                    str(REQUIREMENTS),
                ],
                capture_output=True,
                text=True,
                timeout=1200,
            )
            if installed.returncode:
                raise RuntimeError(
                    f"Installing Ralph into {VENV} failed:\n{installed.stderr[-4000:]}"
                )
            stamp.write_text(wanted, "utf-8")
    return VENV / "bin"


class RalphLrs:
    """One Ralph LRS on its file-system backend in `directory`.

    `appending=False` runs `ralph runserver -b fs` exactly as documented,
    which stores one batch only (see ralph_appending_lrs.py); `appending=True`
    runs Ralph's API so that it stores every batch.
    """

    def __init__(self, directory: Path, *, appending: bool):
        self.directory = directory
        self.appending = appending
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.directory.mkdir(parents=True, exist_ok=True)
        self.environment = {
            **{
                key: value
                for key, value in os.environ.items()
                if not key.startswith(("RALPH_", "GOFUN_", "DJANGO_"))
            },
            "RALPH_AUTH_FILE": str(directory / "auth.json"),
            "RALPH_RUNSERVER_BACKEND": "fs",
            "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(directory / "data"),
        }
        self._run(
            "ralph",
            "auth",
            "-u",
            USERNAME,
            "-p",
            PASSWORD,
            "-s",
            "all",
            "-M",
            "mailto:hr-lrs@example.go.jp",
            "-w",
        )

    @property
    def url(self) -> str:
        """The xAPI endpoint, as GOFUN_LRS_URL takes it."""
        return f"http://127.0.0.1:{self.port}/xAPI/"

    @property
    def auth(self) -> tuple[str, str]:
        return (USERNAME, PASSWORD)

    def _run(self, program: str, *args: str) -> None:
        subprocess.run(  # noqa: S603
            [str(ralph_bin() / program), *args],
            cwd=self.directory,
            env=self.environment,
            check=True,
            capture_output=True,
            timeout=120,
        )

    def start(self) -> RalphLrs:
        if self.appending:
            command = [
                str(ralph_bin() / "python"),
                str(APPENDING_LAUNCHER),
                "127.0.0.1",
                str(self.port),
            ]
        else:
            command = [
                str(ralph_bin() / "ralph"),
                "runserver",
                "-b",
                "fs",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
            ]
        log = open(self.directory / "ralph.log", "ab")  # noqa: SIM115
        self.process = subprocess.Popen(  # noqa: S603
            command,
            cwd=self.directory,
            env=self.environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            # Its own process group: runserver's reloader has a child.
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Ralph exited: {self.log()}")
            try:
                if requests.get(self.url + "statements", auth=self.auth, timeout=2).ok:
                    return self
            except requests.ConnectionError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"Ralph did not answer: {self.log()}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=20)
        self.process = None

    def log(self) -> str:
        path = self.directory / "ralph.log"
        return path.read_text("utf-8", "replace")[-4000:] if path.exists() else ""

    def post(self, statements) -> requests.Response:
        return requests.post(
            self.url + "statements",
            json=statements,
            auth=self.auth,
            headers={"X-Experience-API-Version": "1.0.3"},
            timeout=120,
        )

    def statements(self) -> list[dict]:
        """Every statement the LRS holds, following its pages."""
        found = []
        url = self.url + "statements?limit=100"
        while url:
            response = requests.get(url, auth=self.auth, timeout=60)
            response.raise_for_status()
            page = response.json()
            found += page["statements"]
            more = page.get("more")
            url = f"http://127.0.0.1:{self.port}{more}" if more else ""
        return found

    def validate_strictly(self, statements: list[dict]) -> list[str]:
        """Ralph's strict xAPI 1.0.3 model's complaints about each statement
        (its API checks little more than an actor, a verb and an object)."""
        script = (
            "import json, sys\n"
            "from ralph.models.xapi.base.statements import BaseXapiStatement\n"
            "errors = []\n"
            "for statement in json.load(sys.stdin):\n"
            "    try:\n"
            "        BaseXapiStatement.model_validate(statement)\n"
            "    except Exception as error:\n"
            "        errors.append(f\"{statement.get('id')}: {error}\")\n"
            "print(json.dumps(errors))\n"
        )
        import json

        result = subprocess.run(  # noqa: S603
            [str(ralph_bin() / "python"), "-c", script],
            input=json.dumps(statements),
            env=self.environment,
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
        )
        return json.loads(result.stdout)
