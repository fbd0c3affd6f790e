"""Quiz submissions per second from many signed-in learners at once, against
loading the attempt page, in one run.

Served as the lesson page benchmark serves it: gunicorn
(bench.support.GUNICORN_WORKERS sync workers) on a throwaway SQLite database,
measured by bench.load's generator (wrk when installed). A child process
(`python -m bench.quiz_submissions prepare`) publishes one lesson per round
whose checkpoint draws 5 of 8 questions, signs in N learners (the test
client's force_login, so each has a real session) and starts one attempt for
each learner at each checkpoint through `attempt_start`.

Each round, for that round's checkpoint: every learner's browser loads its
open attempt page once, unmeasured, and the form is read from that HTML (CSRF
token and cookie, the question-N fields and the choice values offered); then
the generator measures every learner loading the page again, once each (the
baseline), and then every learner posting its form, once each. Which choices
a learner ticks comes from the answer key frozen in the attempt (given by
the prepare step): every second learner answers everything right and passes,
so half the submissions also write a completion ledger record. Rounds
alternate baseline and submissions ROUNDS times; each figure is the median
of its rounds, with the spread, and the ratio is the ratio of the medians.
A child process then counts what the database holds: one graded attempt per
submission, one ledger record per pass.

`python -m bench quiz_submissions`; GOFUN_BENCH_LEARNERS changes N (400).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from bench.load import (
    PythonClient,
    Request,
    Response,
    load_generator,
    median_ratio,
    summary,
)
from bench.support import (
    GUNICORN_WORKERS,
    child_figures,
    gofun_environment,
    gunicorn_server,
    run_checked,
)

REPOSITORY = Path(__file__).resolve().parent.parent
LEARNERS = int(os.environ.get("GOFUN_BENCH_LEARNERS", "400"))
ROUNDS = int(os.environ.get("GOFUN_BENCH_ROUNDS", "3"))
QUESTIONS_IN_BANK = 8
QUESTIONS_PER_ATTEMPT = 5
PASS_EVERY = 2  # every second learner answers right and passes
BASELINE = "open_attempt_page_loads"
SUBJECT = "quiz_submissions"


class AttemptForm(HTMLParser):
    """What a browser would submit from the attempt page's quiz form."""

    def __init__(self) -> None:
        super().__init__()
        self.action: str | None = None
        self.csrf_token: str | None = None
        self.options: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "form" and "quiz" in (attributes.get("class") or "").split():
            self.action = attributes.get("action")
        elif tag == "input" and self.action is not None:
            name = attributes.get("name") or ""
            if name == "csrfmiddlewaretoken":
                self.csrf_token = attributes.get("value")
            elif name.startswith("question-"):
                self.options.setdefault(name, []).append(attributes.get("value") or "")


def _cookie(response: Response, name: str) -> str | None:
    for header, value in response.headers:
        if header.lower() == "set-cookie":
            cookie = SimpleCookie()
            cookie.load(value)
            if name in cookie:
                return cookie[name].value
    return None


def _cookies(learner: dict, page: Response | None) -> str:
    """The cookies a learner's browser sends after loading its page."""
    csrf_cookie = _cookie(page, "csrftoken") if page is not None else None
    cookies = f"sessionid={learner['session']}"
    if csrf_cookie:
        cookies += f"; csrftoken={csrf_cookie}"
    return cookies


def _submission(
    base_url: str, learner: dict, page: Response | None
) -> tuple[Request, bool]:
    """The POST a learner's browser sends from its page; whether it offered the
    fields and choices the frozen draw has."""
    form = AttemptForm()
    if page is not None and page.status == 200:
        form.feed(page.body.decode())
    fields: list[tuple[str, str]] = [("csrfmiddlewaretoken", form.csrf_token or "")]
    intended: dict[str, list[str]] = learner["answers"]
    matches = form.action == learner["submit_path"] and set(form.options) == set(
        intended
    )
    for name, values in intended.items():
        offered = form.options.get(name, [])
        matches = matches and set(values) <= set(offered)
        fields.extend((name, value) for value in values)
    request = Request(
        base_url + (form.action or learner["submit_path"]),
        method="POST",
        headers={
            "Cookie": _cookies(learner, page),
            "Content-Type": "application/x-www-form-urlencoded",
        },
        body=urlencode(fields).encode(),
    )
    return request, matches


def _round_requests(
    base_url: str, attempts: list[dict]
) -> tuple[list[Request], list[Request], int]:
    """For one round's attempts (each with its learner's session): the page
    loads and the submissions to measure, and how many forms offered the
    frozen draw. Each page is loaded once first, unmeasured, as the browser
    that fills the form would."""
    _, pages = PythonClient().each_once_with_responses(
        [
            Request(
                base_url + attempt["attempt_path"],
                headers={"Cookie": f"sessionid={attempt['session']}"},
            )
            for attempt in attempts
        ]
    )
    built = [
        _submission(base_url, attempt, page)
        for attempt, page in zip(attempts, pages, strict=True)
    ]
    page_loads = [
        Request(
            base_url + attempt["attempt_path"],
            headers={"Cookie": _cookies(attempt, page)},
        )
        for attempt, page in zip(attempts, pages, strict=True)
    ]
    return page_loads, [request for request, _ in built], sum(m for _, m in built)


def run() -> dict:
    generator = load_generator()
    with tempfile.TemporaryDirectory(prefix="gofun-bench-") as temporary:
        env = gofun_environment(Path(temporary))
        print("  preparing the database …", flush=True)
        run_checked(
            [sys.executable, "manage.py", "migrate", "--noinput"],
            cwd=REPOSITORY,
            env=env,
        )
        prepared = child_figures("bench.quiz_submissions", "prepare", env=env)
        learners = prepared["learners"]
        print(
            f"  {len(learners)} learners load and submit, {ROUNDS} rounds …",
            flush=True,
        )
        forms_matching = 0
        with gunicorn_server(
            "cms.wsgi:application", cwd=REPOSITORY, env=env, ready_path="/healthz"
        ) as base_url:
            rounds = {BASELINE: [], SUBJECT: []}
            for round_number in range(ROUNDS):
                page_loads, submissions, matching = _round_requests(
                    base_url,
                    [
                        {
                            "session": learner["session"],
                            **learner["rounds"][round_number],
                        }
                        for learner in learners
                    ],
                )
                forms_matching += matching
                # Baseline, then submissions, round after round.
                print(f"  round {round_number + 1}/{ROUNDS} …", flush=True)
                rounds[BASELINE].append(generator.each_once(page_loads))
                rounds[SUBJECT].append(
                    generator.each_once(submissions, expected_status=302)
                )
        verified = child_figures("bench.quiz_submissions", "verify", env=env)

    return {
        "setup": {
            **generator.setup(),
            "gunicorn_workers": GUNICORN_WORKERS,
            "learners": len(learners),
            "rounds": ROUNDS,
            "questions_per_attempt": QUESTIONS_PER_ATTEMPT,
            "database": "SQLite (temporary), bench.settings (DEBUG off)",
            "measured": "each learner's request sent once per round: the rate "
            "is the requests answered from the first sent to the last answered",
            "answers": "form fields and CSRF token from each attempt page's HTML; "
            "choices ticked from the answer key frozen in the attempt",
        },
        SUBJECT: summary(rounds[SUBJECT]),
        BASELINE: summary(rounds[BASELINE]),
        "ratio_to_attempt_page": median_ratio(rounds[SUBJECT], rounds[BASELINE]),
        "forms_matching_frozen_draw": forms_matching,
        "database_after": {
            **verified,
            "expected_graded_attempts": len(learners) * ROUNDS,
            "expected_passes": prepared["expected_passes"],
        },
    }


def prepare(*, learners: int, rounds: int) -> dict:
    """In a child process: a lesson with a checkpoint per round, signed-in
    learners with an open attempt at each, and the choices each will tick."""
    import django

    django.setup()

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from learning_series.marp import Deck, Slide
    from learning_series.models import SeriesIndexPage, SeriesPage
    from learning_series.services import lesson_create_from_deck
    from quizzes.services import (
        attempt_start,
        checkpoint_create,
        quiz_create_from_bank,
    )

    index = SeriesIndexPage.objects.order_by("path").first()
    series = index.add_child(instance=SeriesPage(title="ベンチマーク", slug="bench"))
    bank = [
        {
            "text": f"標的型メールの問題{number}",
            "kind": "multiple" if number == 0 else "single",
            "roles": [],
            "choices": [
                {
                    "text": f"選択肢{choice}",
                    "correct": choice == 0 or (number == 0 and choice == 2),
                    "explanation": "解説",
                }
                for choice in range(4)
            ],
        }
        for number in range(QUESTIONS_IN_BANK)
    ]
    quiz = quiz_create_from_bank(
        title="標的型メールの確認テスト", key_prefix="bench", questions=bank
    )
    checkpoints = []
    for round_number in range(1, rounds + 1):
        lesson, revision = lesson_create_from_deck(
            series=series,
            deck=Deck(
                title=f"標的型メール 第{round_number}回",
                slides=[Slide(title="1", body="本文")],
            ),
            owner=None,
        )
        revision.publish()
        checkpoints.append(
            checkpoint_create(
                lesson=lesson, quiz=quiz, questions_per_attempt=QUESTIONS_PER_ATTEMPT
            )
        )

    def attempt_spec(attempt, *, right: bool) -> dict:
        answers = {}
        for question in attempt.questions.all():
            correct = [
                str(index)
                for index, key in enumerate(question.choice_keys)
                if key in question.correct_keys
            ]
            wrong = [
                str(index)
                for index, key in enumerate(question.choice_keys)
                if key not in question.correct_keys
            ]
            answers[f"question-{question.position}"] = correct if right else wrong[:1]
        return {
            "attempt_path": reverse(
                "quizzes:attempt", kwargs={"attempt_id": attempt.pk}
            ),
            "submit_path": reverse(
                "quizzes:attempt_submit", kwargs={"attempt_id": attempt.pk}
            ),
            "answers": answers,
        }

    User = get_user_model()
    prepared = []
    for number in range(learners):
        user = User.objects.create(username=f"learner{number:04d}")
        client = Client()
        client.force_login(user)
        prepared.append(
            {
                "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "rounds": [
                    attempt_spec(
                        attempt_start(checkpoint=checkpoint, user=user),
                        right=number % PASS_EVERY == 0,
                    )
                    for checkpoint in checkpoints
                ],
            }
        )
    return {
        "learners": prepared,
        "expected_passes": len(range(0, learners, PASS_EVERY)) * rounds,
    }


def verify() -> dict:
    """In a child process: what the submissions left in the database."""
    import django

    django.setup()

    from django.db.models import Count, Q

    from quizzes.models import Attempt
    from training.models import CompletionRecord

    attempts = Attempt.objects.all()
    # One learner at one checkpoint (a round): graded exactly once.
    per_learner = attempts.values("user", "checkpoint").annotate(
        graded=Count("pk", filter=Q(state=Attempt.State.SUBMITTED))
    )
    records = CompletionRecord.objects.filter(kind=CompletionRecord.Kind.QUIZ_PASSED)
    return {
        "attempts": attempts.count(),
        "graded_attempts": attempts.filter(state=Attempt.State.SUBMITTED).count(),
        "open_attempts": attempts.filter(state=Attempt.State.OPEN).count(),
        "learners_with_one_graded_attempt": per_learner.filter(graded=1).count(),
        "learners_with_more_than_one": per_learner.filter(graded__gt=1).count(),
        "passed_attempts": attempts.filter(passed=True).count(),
        "ledger_records": records.count(),
        "attempts_with_more_than_one_record": records.values("attempt")
        .annotate(count=Count("pk"))
        .filter(count__gt=1)
        .count(),
        "passed_attempts_without_record": attempts.filter(
            passed=True, completion_record__isnull=True
        ).count(),
    }


if __name__ == "__main__":
    if sys.argv[1:] == ["prepare"]:
        print(json.dumps(prepare(learners=LEARNERS, rounds=ROUNDS)))
    elif sys.argv[1:] == ["verify"]:
        print(json.dumps(verify()))
    else:
        sys.exit("usage: python -m bench.quiz_submissions prepare|verify")
