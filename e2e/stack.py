"""The running stack, as the end-to-end tests see it.

`bin/stack up` writes every variable the stack's processes run with to
``$GOFUN_STACK_DIR/env``; `bin/stack run` exports them to the command it runs.
`Stack` reads them from the environment and drives the stack the way an
operator would: manage.py commands, SQL as the database's superuser, stopping
and starting one service, the mails the SMTP sink received.
"""

from __future__ import annotations

import email
import email.policy
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent


class StackNotRunning(RuntimeError):
    pass


@dataclass(frozen=True)
class Stack:
    url: str
    dir: Path
    env: dict[str, str]

    @classmethod
    def from_environment(cls, environ=os.environ) -> Stack:
        url = environ.get("GOFUN_STACK_URL")
        if not url:
            raise StackNotRunning(
                "GOFUN_STACK_URL is not set: run the end-to-end tests with "
                "`make e2e` (bin/stack run), which starts the stack first."
            )
        return cls(
            url=url.rstrip("/"),
            dir=Path(environ["GOFUN_STACK_DIR"]),
            env=dict(environ),
        )

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        """Run manage.py against the stack's database, cache and settings."""
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=REPOSITORY,
            env=self.env,
            capture_output=True,
            text=True,
            check=check,
        )

    def sql(self, query: str, *params) -> list[tuple]:
        """Run one statement as the database's superuser; its rows, if any."""
        import psycopg

        with psycopg.connect(
            self.env["GOFUN_STACK_SUPERUSER_DATABASE_URL"], autocommit=True
        ) as connection:
            cursor = connection.execute(query, params or None)
            return cursor.fetchall() if cursor.description else []

    def _service(self, action: str, name: str) -> None:
        subprocess.run(
            [str(REPOSITORY / "bin" / "stack"), action, name],
            cwd=REPOSITORY,
            env=self.env,
            check=True,
        )

    def stop(self, name: str) -> None:
        self._service("stop", name)

    def start(self, name: str) -> None:
        self._service("start", name)

    def mails(self) -> list[email.message.EmailMessage]:
        """Every mail the stack's SMTP sink received, oldest first."""
        folder = self.dir / "mail"
        if not folder.is_dir():
            return []
        return [
            email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            for path in sorted(folder.glob("*.eml"))
        ]
