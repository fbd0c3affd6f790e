"""Learners of the fault tests, signed in over HTTP as a browser would be.

The fault tests use staff of the demo who are none of its named accounts
(learner, author, ...), which the journeys use: each test gets its own
person among the demo's simulated staff (who cannot sign in), with a
checkpoint that person may take, made able to sign in with a password.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

import pytest
import requests

from e2e.stack import Stack

PASSWORD = "e2e-fault-password"  # noqa: S105 -- a throwaway stack's test account
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

# A staff member with a live lesson checkpoint they may start; `skip` picks
# the next one, so that each test has a person of its own.
PICK_LEARNER = """
from django.contrib.auth import get_user_model
from learning_series.visibility import page_visible_to
from quizzes.models import Checkpoint
from quizzes.selectors import checkpoint_status
named = {named!r}
checkpoints = list(
    Checkpoint.objects.filter(live=True, quiz__live=True, lesson__isnull=False)
    .select_related("lesson").order_by("pk")
)
skip = {skip}
for user in (
    get_user_model().objects.filter(is_staff=False, is_superuser=False)
    .exclude(username__in=named).exclude(staff_profile=None).order_by("-pk")
):
    found = next(
        (
            checkpoint for checkpoint in checkpoints
            if page_visible_to(page=checkpoint.lesson, user=user)
            and checkpoint_status(checkpoint=checkpoint, user=user).can_start
            and not checkpoint_status(checkpoint=checkpoint, user=user).attempts
        ),
        None,
    )
    if found is None:
        continue
    if skip:
        skip -= 1
        continue
    user.set_password("{password}")
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    print(user.pk, user.username, found.pk, found.lesson.pk, found.lesson.url)
    break
"""


@dataclass
class Learner:
    stack: Stack
    user_id: int
    username: str
    checkpoint_id: int
    lesson_id: int
    lesson_url: str
    session: requests.Session

    def get(self, path: str, **options) -> requests.Response:
        return self.session.get(f"{self.stack.url}{path}", timeout=60, **options)

    def post(self, path: str, data: dict, **options) -> requests.Response:
        """POST a form with the CSRF token from the page at `path`'s referrer."""
        token = self.session.cookies.get("csrftoken")
        return self.session.post(
            f"{self.stack.url}{path}",
            data={"csrfmiddlewaretoken": token, **data},
            timeout=options.pop("timeout", 120),
            **options,
        )

    def start_attempt(self) -> int:
        """Start an attempt at the checkpoint; its id."""
        self.get(self.lesson_url)
        response = self.post(f"/quizzes/checkpoints/{self.checkpoint_id}/start/", {})
        assert response.status_code == 200, response.text[:2000]
        match = re.search(r"/quizzes/attempts/([0-9]+)/", response.url)
        assert match, response.url
        return int(match.group(1))

    def answers(self, attempt_id: int, *, right: bool) -> dict[str, list[str]]:
        """The form fields answering every question rightly or wrongly."""
        rows = self.stack.sql(
            "SELECT position, choice_keys, correct_keys "
            "FROM quizzes_attemptquestion WHERE attempt_id = %s ORDER BY position",
            attempt_id,
        )
        fields = {}
        for position, choices, correct in rows:
            chosen = [
                str(index)
                for index, key in enumerate(choices)
                if (key in correct) == right
            ]
            fields[f"question-{position}"] = chosen[:1] if not right else chosen
        return fields

    def submit(self, attempt_id: int, *, right: bool = True, **options):
        return self.post(
            f"/quizzes/attempts/{attempt_id}/submit/",
            {**self.answers(attempt_id, right=right), "submit_unanswered": "on"},
            **options,
        )


def sign_in(stack: Stack, username: str, password: str) -> requests.Session:
    session = requests.Session()
    form = session.get(f"{stack.url}/accounts/login/", timeout=60)
    response = session.post(
        f"{stack.url}/accounts/login/",
        data={
            "csrfmiddlewaretoken": CSRF.search(form.text).group(1),
            "username": username,
            "password": password,
        },
        timeout=60,
    )
    assert response.status_code == 200, response.text[:2000]
    assert "/accounts/login/" not in response.url, "sign-in refused"
    return session


def named_accounts(stack: Stack) -> set[str]:
    """The demo's accounts (`bin/stack up` keeps seed_demo's report)."""
    report = (stack.dir / "demo.txt").read_text("utf-8").splitlines()
    return {line.split()[0] for line in report if line.startswith("  ")}


def learner_with_a_checkpoint(stack: Stack, *, skip: int = 0) -> Learner:
    code = PICK_LEARNER.format(
        skip=skip, password=PASSWORD, named=named_accounts(stack)
    )
    output = stack.manage("shell", "--no-imports", "-c", code).stdout.split()
    if len(output) != 5:
        pytest.fail(f"no demo learner with a checkpoint to take: {output}")
    user_id, username, checkpoint_id, lesson_id, lesson_url = output
    return Learner(
        stack=stack,
        user_id=int(user_id),
        username=username,
        checkpoint_id=int(checkpoint_id),
        lesson_id=int(lesson_id),
        lesson_url=lesson_url,
        session=sign_in(stack, username, PASSWORD),
    )


def wait_until(condition, *, timeout: float = 120, every: float = 0.25):
    """`condition()`'s first true value, or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(every)
    pytest.fail(f"gave up waiting after {timeout:.0f} s")
