"""A client for an xAPI Learning Record Store's statements resource.

It posts a batch and says what the answer means for the batch; what to do
about it (retry, split, record) is hr_export.services' business.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass

import requests
from django.conf import settings

XAPI_VERSION = "1.0.3"


class Outcome(enum.Enum):
    # Stored, or already there with the same content.
    STORED = "stored"
    # Another statement with one of these ids is there already (409). For a
    # single statement that means it is in the LRS; for a batch, nothing of
    # it was stored.
    CONFLICT = "conflict"
    # The LRS refuses the statements themselves (400, 413, 422): for a batch,
    # any of them may be the one.
    REFUSED = "refused"
    # The LRS is down, unreachable, misconfigured or failing (anything else):
    # the same batch may succeed later.
    UNAVAILABLE = "unavailable"


@dataclass(frozen=True)
class Answer:
    outcome: Outcome
    status_code: int | None
    detail: str


REFUSING_STATUSES = {400, 413, 422}


def lrs_configured() -> bool:
    return bool(settings.GOFUN_LRS_URL)


class LrsClient:
    """Posts statements to GOFUN_LRS_URL + "statements" with HTTP basic auth."""

    def __init__(
        self,
        *,
        url: str | None = None,
        username: str | None = None,
        password: str | None = None,
        timeout: float | None = None,
    ):
        endpoint = (url if url is not None else settings.GOFUN_LRS_URL).rstrip("/")
        self.statements_url = f"{endpoint}/statements"
        username = settings.GOFUN_LRS_USERNAME if username is None else username
        password = settings.GOFUN_LRS_PASSWORD if password is None else password
        self.timeout = settings.GOFUN_LRS_TIMEOUT if timeout is None else timeout
        self.session = requests.Session()
        if username:
            self.session.auth = (username, password)
        self.session.headers.update(
            {
                "X-Experience-API-Version": XAPI_VERSION,
                "Content-Type": "application/json; charset=utf-8",
            }
        )

    def post_statements(self, statements: list[dict]) -> Answer:
        body = json.dumps(statements, ensure_ascii=False).encode("utf-8")
        try:
            response = self.session.post(
                self.statements_url, data=body, timeout=self.timeout
            )
        except requests.RequestException as error:
            return Answer(Outcome.UNAVAILABLE, None, f"{type(error).__name__}: {error}")
        detail = response.text[:2000]
        if response.status_code in (200, 204):
            return Answer(Outcome.STORED, response.status_code, "")
        if response.status_code == 409:
            return Answer(Outcome.CONFLICT, 409, detail)
        if response.status_code in REFUSING_STATUSES:
            return Answer(Outcome.REFUSED, response.status_code, detail)
        return Answer(Outcome.UNAVAILABLE, response.status_code, detail)

    def close(self) -> None:
        self.session.close()
