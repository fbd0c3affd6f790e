"""Load on the whole stack: simulated learners reading, searching and taking
checkpoints against `bin/stack` (gunicorn, PostgreSQL, Redis, the worker, the
proxy), then a count in the database of what the load left there.

The stack: inside `bin/stack run` (GOFUN_STACK_URL set) the running one;
otherwise `bin/stack up` starts one for the run and `bin/stack down` stops it.

A child process with the stack's environment (`python -m bench.stack_load
prepare`) adds, under a tag of its own, LEARNERS active staff signed in (the
test client's force_login, so each has a real session in the stack's session
store), a series of LESSONS lessons with a checkpoint each (5 of 8 true/false
questions, pass mark 60 %), and names the searches to run.

Each learner is an asyncio task with its own cookies; for SECONDS (plus the
flows in hand at the end) it thinks (an exponential pause, mean THINK
seconds), then does one of:

- read a lesson: GET the page (one view event, whose signed id the page
  carries), then report how far it read through the reader's beacon
  (POST /analytics/beacon/, as beacon.js does);
- search: GET /search/?q=… (a fifth of the queries find nothing);
- take a checkpoint it has not passed: POST the lesson page's start form,
  GET the attempt, tick one choice per question at random and POST it, a
  tenth of the time twice (a double click), then GET the result.

The client is Python's own asyncio streams, one connection per request
(`Connection: close`, as gunicorn's sync workers answer anyway), no thread
per learner: its CPU over the run is reported beside the figures, so one can
see it was not the bottleneck. wrk (bench.load) replays fixed requests and
cannot follow a learner's flow (a form read from the page before), which is
why this benchmark does not use it.

Afterwards a child process counts, for the tag's learners only: every submit
answered 302 is graded, no attempt is graded or recorded twice, no learner
has two passes or two open attempts at a checkpoint, every pass has its one
ledger row, and every view event whose id a page carried is in the table
(a page served without one is a view the site knowingly dropped: it logs
each such refusal).

`python -m bench stack_load`; GOFUN_BENCH_STACK_LEARNERS (500),
GOFUN_BENCH_STACK_SECONDS (180), GOFUN_BENCH_STACK_THINK_SECONDS (3).
Nothing here asserts on time: the figures are reported.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import resource
import shlex
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import unescape
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

from bench.load import LOOPBACK
from bench.quiz_submissions import AttemptForm

REPOSITORY = Path(__file__).resolve().parent.parent
LEARNERS = int(os.environ.get("GOFUN_BENCH_STACK_LEARNERS", "500"))
SECONDS = float(os.environ.get("GOFUN_BENCH_STACK_SECONDS", "180"))
THINK_SECONDS = float(os.environ.get("GOFUN_BENCH_STACK_THINK_SECONDS", "3"))
LESSONS = 4
SLIDES_PER_LESSON = 8
QUESTIONS_IN_BANK = 8
QUESTIONS_PER_ATTEMPT = 5
PASS_MARK = 60
# A request unanswered this long counts as an error (timeout).
TIMEOUT_SECONDS = 60
# Learners start over the first RAMP_SHARE of the run, not all at once.
RAMP_SHARE = 0.1
DOUBLE_SUBMIT_SHARE = 0.1
# Searches: most find something in the demo or the load's lessons.
QUERIES = [
    "メール",
    "標的型",
    "パスワード",
    "クラウド",
    "テレワーク",
    "負荷試験",
    "調達",
    "情報セキュリティ",
    "存在しない話題ぞなもし",
    "量子暗号の運用手順",
]
# What each kind of request is answered with when all is well.
EXPECTED_STATUS = {
    "lesson": 200,
    "beacon": 204,
    "search": 200,
    "attempt_start": 302,
    "attempt_page": 200,
    "attempt_submit": 302,
    "attempt_result": 200,
}
# Choice weights of a learner's next step.
READ, SEARCH, CHECKPOINT = "read", "search", "checkpoint"
STEP_WEIGHTS = {READ: 0.55, SEARCH: 0.25, CHECKPOINT: 0.20}

_VIEW_TOKEN = re.compile(r'data-gofun-beacon[^>]*data-view="([^"]+)"')
_START_ACTION = re.compile(r'action="(/quizzes/checkpoints/\d+/start/)"')
_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_ATTEMPT_PATH = re.compile(r"/quizzes/attempts/(\d+)/$")


# -- the stack ---------------------------------------------------------------


def read_stack_env(path: Path) -> dict[str, str]:
    """The KEY=VALUE lines `bin/stack up` writes (shell quoting allowed)."""
    values: dict[str, str] = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        key = key.removeprefix("export ").strip()
        parts = shlex.split(value) if value else [""]
        values[key] = parts[0] if parts else ""
    return values


class StackUnavailable(RuntimeError):
    pass


@contextmanager
def stack_environment() -> Iterator[tuple[dict[str, str], bool]]:
    """The stack's environment, and whether this run started the stack.

    Raises StackUnavailable when bin/stack cannot start one (it says why on
    its standard error: redis-server or nginx missing, say).
    """
    if os.environ.get("GOFUN_STACK_URL"):
        yield dict(os.environ), False
        return
    stack = REPOSITORY / "bin" / "stack"
    if not stack.exists():
        raise StackUnavailable("bin/stack is missing")
    print("  bin/stack up …", flush=True)
    try:
        started = subprocess.run([str(stack), "up"], cwd=REPOSITORY, check=False)  # noqa: S603
        if started.returncode != 0:
            raise StackUnavailable(f"bin/stack up failed ({started.returncode})")
        directory = Path(
            os.environ.get("GOFUN_STACK_DIR", str(REPOSITORY / "var" / "stack"))
        )
        yield {**os.environ, **read_stack_env(directory / "env")}, True
    finally:
        # Also after a failed `up`: whatever it started is stopped.
        print("  bin/stack down …", flush=True)
        subprocess.run([str(stack), "down"], cwd=REPOSITORY, check=False)  # noqa: S603


def _child(command: str, env: Mapping[str, str], *arguments: str) -> dict:
    """Run `python -m bench.stack_load COMMAND` against the stack; its JSON."""
    result = subprocess.run(  # noqa: S603 -- our own module
        [sys.executable, "-m", "bench.stack_load", command, *arguments],
        cwd=REPOSITORY,
        env=dict(env),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"bench.stack_load {command} failed ({result.returncode}):\n"
            f"{result.stderr[-3000:]}"
        )
    return json.loads(result.stdout.splitlines()[-1])


# -- the client --------------------------------------------------------------


@dataclass
class Answer:
    status: int  # 0: no answer (refused, reset or timed out)
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None


def _dechunk(body: bytes) -> bytes:
    out = bytearray()
    while body:
        size_line, _, rest = body.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out += rest[:size]
        body = rest[size + 2 :]
    return bytes(out)


async def http_request(
    host: str,
    port: int,
    method: str,
    path: str,
    *,
    headers: Mapping[str, str],
    body: bytes = b"",
) -> Answer:
    """One HTTP/1.1 request on its own connection; the whole answer."""
    lines = [
        f"{method} {path} HTTP/1.1",
        f"Host: {host}:{port}",
        "Connection: close",
        "User-Agent: gofun-bench-stack-load",
    ]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    if method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    raw = ("\r\n".join(lines) + "\r\n\r\n").encode() + body

    async def exchange() -> bytes:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            writer.write(raw)
            await writer.drain()
            return await reader.read()
        finally:
            writer.close()

    try:
        data = await asyncio.wait_for(exchange(), TIMEOUT_SECONDS)
    except (OSError, TimeoutError):
        return Answer(0, [], b"")
    head, _, content = data.partition(b"\r\n\r\n")
    head_lines = head.decode("latin-1").split("\r\n")
    try:
        status = int(head_lines[0].split()[1])
    except (IndexError, ValueError):
        return Answer(0, [], b"")
    answer_headers = []
    for line in head_lines[1:]:
        name, _, value = line.partition(":")
        answer_headers.append((name.strip(), value.strip()))
    answer = Answer(status, answer_headers, content)
    if (answer.header("Transfer-Encoding") or "").lower() == "chunked":
        answer.body = _dechunk(content)
    return answer


@dataclass
class Tally:
    """Latencies and statuses per kind of request, and what the database
    must show afterwards."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    view_tokens: list[str] = field(default_factory=list)
    lessons_served_without_view: int = 0
    # Lesson requests without a page: no answer (the client gave up) or an
    # error; the server may still have recorded their views.
    lessons_not_served: int = 0
    started_attempts: set[int] = field(default_factory=set)
    # (attempt id, status of the answer) for every submit POST sent.
    submits: list[tuple[int, int]] = field(default_factory=list)
    double_submits: int = 0
    already_passed: int = 0


class Learner:
    def __init__(
        self,
        *,
        host: str,
        port: int,
        session_cookie: str,
        session: str,
        lessons: list[dict],
        tally: Tally,
        rng: random.Random,
    ) -> None:
        self.host = host
        self.port = port
        self.cookies = {session_cookie: session}
        self.lessons = lessons
        self.tally = tally
        self.rng = rng
        self.csrf_token: str | None = None
        self.passed: set[str] = set()

    async def request(
        self, kind: str, method: str, path: str, *, form: dict | list | None = None
    ) -> Answer:
        headers = {
            "Cookie": "; ".join(f"{key}={value}" for key, value in self.cookies.items())
        }
        body = b""
        if form is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            body = urlencode(form).encode()
        started = time.perf_counter()
        answer = await http_request(
            self.host, self.port, method, path, headers=headers, body=body
        )
        self.tally.latencies[kind].append(time.perf_counter() - started)
        self.tally.statuses[kind][str(answer.status or "no answer")] += 1
        for name, value in answer.headers:
            if name.lower() == "set-cookie":
                cookie = SimpleCookie()
                cookie.load(value)
                for key, morsel in cookie.items():
                    self.cookies[key] = morsel.value
        if answer.status == 200:
            token = _CSRF_INPUT.search(answer.body.decode("utf-8", "replace"))
            if token:
                self.csrf_token = unescape(token.group(1))
        return answer

    async def read(self, lesson: dict) -> str:
        answer = await self.request("lesson", "GET", lesson["path"])
        if answer.status != 200:
            self.tally.lessons_not_served += 1
            return ""
        html = answer.body.decode("utf-8", "replace")
        token = _VIEW_TOKEN.search(html)
        if token is None:
            self.tally.lessons_served_without_view += 1
            return html
        view = unescape(token.group(1))
        self.tally.view_tokens.append(view)
        await asyncio.sleep(self.rng.uniform(0.5, 2) * THINK_SECONDS)
        furthest = self.rng.randint(1, lesson["slides"])
        await self.request(
            "beacon",
            "POST",
            "/analytics/beacon/",
            form={
                "csrfmiddlewaretoken": self.csrf_token or "",
                "view": view,
                "lesson": lesson["id"],
                "furthest": furthest,
                "through": furthest,
                "seconds": self.rng.randint(10, 300),
            },
        )
        return html

    async def search(self) -> None:
        query = self.rng.choice(QUERIES)
        await self.request("search", "GET", f"/search/?q={quote(query)}")

    async def take_checkpoint(self, lesson: dict) -> None:
        html = await self.read(lesson)
        action = _START_ACTION.search(html)
        if action is None or self.csrf_token is None:
            return
        started = await self.request(
            "attempt_start",
            "POST",
            action.group(1),
            form={"csrfmiddlewaretoken": self.csrf_token},
        )
        location = urlsplit(started.header("Location") or "").path
        match = _ATTEMPT_PATH.search(location)
        if started.status != 302 or match is None:
            if started.status == 302:  # back to the lesson: passed already
                self.passed.add(lesson["path"])
                self.tally.already_passed += 1
            return
        attempt_id = int(match.group(1))
        self.tally.started_attempts.add(attempt_id)
        page = await self.request("attempt_page", "GET", location)
        if page.status != 200:
            return
        form = AttemptForm()
        form.feed(page.body.decode("utf-8", "replace"))
        if not form.action or not form.options:
            return
        fields = [("csrfmiddlewaretoken", form.csrf_token or self.csrf_token)]
        for name, values in sorted(form.options.items()):
            fields.append((name, self.rng.choice(values)))
        times = 2 if self.rng.random() < DOUBLE_SUBMIT_SHARE else 1
        self.tally.double_submits += times == 2
        for _ in range(times):
            submitted = await self.request(
                "attempt_submit", "POST", form.action, form=fields
            )
            self.tally.submits.append((attempt_id, submitted.status))
        await self.request("attempt_result", "GET", location)

    async def live(self, *, deadline: float, ramp: float) -> None:
        await asyncio.sleep(self.rng.uniform(0, ramp))
        steps, weights = zip(*STEP_WEIGHTS.items(), strict=True)
        while time.monotonic() < deadline:
            step = self.rng.choices(steps, weights)[0]
            open_checkpoints = [
                lesson for lesson in self.lessons if lesson["path"] not in self.passed
            ]
            if step == CHECKPOINT and open_checkpoints:
                await self.take_checkpoint(self.rng.choice(open_checkpoints))
            elif step == SEARCH:
                await self.search()
            else:
                await self.read(self.rng.choice(self.lessons))
            await asyncio.sleep(self.rng.expovariate(1 / THINK_SECONDS))


def _percentile(ordered: list[float], fraction: float) -> float:
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _kind_figures(tally: Tally, seconds: float) -> dict:
    figures = {}
    for kind, expected in EXPECTED_STATUS.items():
        ordered = sorted(tally.latencies.get(kind, []))
        statuses = tally.statuses.get(kind, Counter())
        count = len(ordered)
        errors = count - statuses.get(str(expected), 0)
        figures[kind] = {
            "requests": count,
            "errors": errors,
            "error_rate": round(errors / count, 4) if count else 0.0,
            "requests_per_second": round(count / seconds, 2) if seconds else 0.0,
            "latency_median_ms": round(_percentile(ordered, 0.5) * 1000, 1),
            "latency_p95_ms": round(_percentile(ordered, 0.95) * 1000, 1),
            "latency_p99_ms": round(_percentile(ordered, 0.99) * 1000, 1),
            "statuses": dict(sorted(statuses.items())),
        }
    return figures


async def _simulate(
    *, base_url: str, prepared: dict, seconds: float, seed: int
) -> tuple[Tally, float]:
    parts = urlsplit(base_url)
    if parts.hostname not in {LOOPBACK, "localhost"}:
        raise ValueError(f"the load only talks to the loopback interface: {base_url}")
    tally = Tally()
    rng = random.Random(seed)
    learners = [
        Learner(
            host=parts.hostname,
            port=parts.port or 80,
            session_cookie=prepared["session_cookie"],
            session=learner["session"],
            lessons=prepared["lessons"],
            tally=tally,
            rng=random.Random(rng.random()),
        )
        for learner in prepared["learners"]
    ]
    started = time.monotonic()
    deadline = started + seconds
    await asyncio.gather(
        *(
            learner.live(deadline=deadline, ramp=seconds * RAMP_SHARE)
            for learner in learners
        )
    )
    return tally, time.monotonic() - started


def _process_table() -> dict[int, tuple[int, float]]:
    """Every process: its parent and the CPU seconds it and its ended
    children have used (Linux)."""
    ticks = os.sysconf("SC_CLK_TCK")
    table = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name is in parentheses and may hold spaces.
        fields = stat[stat.rindex(")") + 2 :].split()
        # utime, stime, and cutime, cstime: children that ended and were
        # waited for (PostgreSQL's backends of closed connections).
        cpu = sum(int(value) for value in fields[11:15])
        table[int(entry.name)] = (int(fields[1]), cpu / ticks)
    return table


def stack_cpu_seconds(stack_dir: Path) -> dict[str, float]:
    """CPU seconds used so far by each service of the stack (its pid file's
    process and every process below it: gunicorn's workers, PostgreSQL's
    backends). Empty where /proc is not there."""
    if not Path("/proc").is_dir():
        return {}
    table = _process_table()
    children: dict[int, list[int]] = defaultdict(list)
    for pid, (parent, _) in table.items():
        children[parent].append(pid)
    used = {}
    for pid_file in sorted((stack_dir / "pids").glob("*.pid")):
        try:
            root = int(pid_file.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            continue
        name = pid_file.name.split(".")[0]
        seen, todo = set(), [root]
        while todo:
            pid = todo.pop()
            if pid in seen or pid not in table:
                continue
            seen.add(pid)
            todo.extend(children[pid])
        used[name] = used.get(name, 0.0) + sum(table[pid][1] for pid in seen)
    return used


def _own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _run_apart(coroutine):
    """Run the coroutine `coroutine()` makes on an event loop of its own: in a
    thread of its own when this one already runs a loop (Playwright's sync API
    keeps one running in the end-to-end tests' process)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine())
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(coroutine())).result()


def load_run(
    *,
    env: Mapping[str, str],
    learners: int = LEARNERS,
    seconds: float = SECONDS,
    seed: int = 14,
) -> dict:
    """Prepare the learners on the stack in `env`, load it for `seconds`,
    count what the database holds; every figure, as plain JSON values."""
    base_url = env["GOFUN_STACK_URL"].rstrip("/")
    tag = f"{int(time.time()):x}"
    print(f"  preparing {learners} learners (tag {tag}) …", flush=True)
    prepared = _child("prepare", env, "--learners", str(learners), "--tag", tag)
    print(f"  {learners} learners for {seconds:g} s against {base_url} …", flush=True)
    stack_dir = Path(env.get("GOFUN_STACK_DIR", REPOSITORY / "var" / "stack"))
    load_before = os.getloadavg()[0]
    stack_before = stack_cpu_seconds(stack_dir)
    cpu_before = _own_cpu_seconds()
    tally, wall = _run_apart(
        lambda: _simulate(
            base_url=base_url, prepared=prepared, seconds=seconds, seed=seed
        )
    )
    client_cpu = _own_cpu_seconds() - cpu_before
    stack_after = stack_cpu_seconds(stack_dir)
    load_after = os.getloadavg()[0]
    with tempfile.NamedTemporaryFile(
        "w", suffix=".json", prefix="gofun-stack-load-", delete=False
    ) as handle:
        json.dump(
            {
                "tag": tag,
                "view_tokens": tally.view_tokens,
                "started_attempts": sorted(tally.started_attempts),
                "submits": tally.submits,
            },
            handle,
        )
    try:
        verified = _child("verify", env, handle.name)
    finally:
        os.unlink(handle.name)
    kinds = _kind_figures(tally, wall)
    requests = sum(figures["requests"] for figures in kinds.values())
    answered = requests - sum(
        figures["statuses"].get("no answer", 0) for figures in kinds.values()
    )
    errors = sum(figures["errors"] for figures in kinds.values())
    submits_answered = sum(1 for _, status in tally.submits if status == 302)
    return {
        "setup": {
            "stack": "bin/stack (gunicorn cms.settings.production, PostgreSQL, "
            "Redis cache and sessions, db_worker, proxy)",
            "load_generator": "bench/stack_load.py: Python asyncio streams, one "
            "task per learner, one connection per request",
            "learners": learners,
            "seconds": seconds,
            "think_seconds_mean": THINK_SECONDS,
            "step_weights": STEP_WEIGHTS,
            "double_submit_share": DOUBLE_SUBMIT_SHARE,
            "lessons": len(prepared["lessons"]),
            "questions_per_attempt": QUESTIONS_PER_ATTEMPT,
            "pass_mark_percent": PASS_MARK,
        },
        "wall_seconds": round(wall, 1),
        "requests": requests,
        "errors": errors,
        "error_rate": round(errors / requests, 4) if requests else 0.0,
        "requests_per_second": round(requests / wall, 1) if wall else 0.0,
        "client_cpu_percent": round(100 * client_cpu / wall, 1) if wall else 0.0,
        # 100 = one core busy for the whole run, per service of the stack.
        "stack_cpu_percent": {
            name: round(100 * (stack_after[name] - stack_before[name]) / wall, 1)
            for name in stack_after
            if name in stack_before and wall
        },
        # CPU each service spent per request answered: what a node must
        # supply per request, whatever else shared the machine meanwhile.
        "stack_cpu_ms_per_request": {
            name: round(1000 * (stack_after[name] - stack_before[name]) / answered, 1)
            for name in stack_after
            if name in stack_before and answered
        },
        "machine": {
            "cpus": os.cpu_count(),
            "load_average_1min_before": round(load_before, 2),
            "load_average_1min_after": round(load_after, 2),
        },
        "by_kind": kinds,
        "sent": {
            "views_with_id": len(tally.view_tokens),
            "lessons_served_without_view": tally.lessons_served_without_view,
            "lessons_not_served": tally.lessons_not_served,
            "attempts_started": len(tally.started_attempts),
            "submits_sent": len(tally.submits),
            "submits_answered_302": submits_answered,
            "double_submits": tally.double_submits,
            "starts_refused_already_passed": tally.already_passed,
        },
        "database_after": verified,
    }


def run() -> dict:
    try:
        with stack_environment() as (env, _started_here):
            return load_run(env=env)
    except StackUnavailable as error:
        # The other benchmarks' figures are still written.
        return {"skipped": f"no stack to load: {error}"}


# -- the Django side (child processes with the stack's environment) ----------


def prepare(*, learners: int, tag: str) -> dict:
    """Active learners signed in, a series of lessons with checkpoints."""
    import django

    django.setup()

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.test import Client
    from wagtail.models import Site

    from learning_series.marp import Deck, Slide
    from learning_series.models import SeriesIndexPage, SeriesPage
    from learning_series.services import lesson_create_from_deck
    from quizzes.services import checkpoint_create, quiz_create_from_bank

    site = Site.objects.get(is_default_site=True)
    index = SeriesIndexPage.objects.live().order_by("path").first()
    series = index.add_child(
        instance=SeriesPage(title=f"負荷試験 {tag}", slug=f"load-{tag}")
    )
    series.save_revision().publish()
    bank = [
        {
            "text": f"標的型メールは開封前に送信元を確かめる（{number}）",
            "kind": "single",
            "roles": [],
            "choices": [
                {"text": "正しい", "correct": True, "explanation": "解説"},
                {"text": "誤り", "correct": False, "explanation": "解説"},
            ],
        }
        for number in range(QUESTIONS_IN_BANK)
    ]
    lessons = []
    for number in range(1, LESSONS + 1):
        quiz = quiz_create_from_bank(
            title=f"負荷試験の確認テスト {number}",
            key_prefix=f"load-{tag}-{number}",
            questions=bank,
        )
        lesson, revision = lesson_create_from_deck(
            series=series,
            deck=Deck(
                title=f"負荷試験 第{number}回 標的型メールの見分け方",
                slides=[
                    Slide(
                        title=f"標的型メール {slide}",
                        body="不審なメールの添付ファイルは開かず、"
                        "送信元を別の手段で確かめます。",
                    )
                    for slide in range(1, SLIDES_PER_LESSON + 1)
                ],
            ),
            owner=None,
            slug=f"lesson-{number}",
        )
        revision.publish()
        lesson.refresh_from_db()
        checkpoint_create(
            lesson=lesson,
            quiz=quiz,
            questions_per_attempt=QUESTIONS_PER_ATTEMPT,
            pass_mark=PASS_MARK,
        )
        lessons.append(
            {
                "id": lesson.pk,
                "path": lesson.relative_url(site),
                "slides": SLIDES_PER_LESSON,
            }
        )

    User = get_user_model()
    users = User.objects.bulk_create(
        User(
            username=f"load-{tag}-{number:04d}",
            is_active=True,
            password=make_password(None),
        )
        for number in range(learners)
    )
    signed_in = []
    for user in User.objects.filter(pk__in=[user.pk for user in users]):
        client = Client()
        client.force_login(user)
        signed_in.append(
            {"session": client.cookies[settings.SESSION_COOKIE_NAME].value}
        )
    return {
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "learners": signed_in,
        "lessons": lessons,
    }


def verify(*, sent: dict) -> dict:
    """What the load left in the database for its learners."""
    import django

    django.setup()

    from django.core import signing
    from django.db.models import Count, Q

    from analytics.models import LessonView
    from analytics.services import VIEW_TOKEN_SALT
    from quizzes.models import Attempt
    from training.models import CompletionRecord

    users = Q(user__username__startswith=f"load-{sent['tag']}-")
    attempts = Attempt.objects.filter(users)
    submitted = Attempt.State.SUBMITTED
    answered = {attempt for attempt, status in sent["submits"] if status == 302}
    unanswered = {
        attempt for attempt, status in sent["submits"] if status != 302
    } - answered
    graded_ids = set(attempts.filter(state=submitted).values_list("pk", flat=True))
    records = CompletionRecord.objects.filter(
        kind=CompletionRecord.Kind.QUIZ_PASSED, attempt__in=attempts
    )
    per_checkpoint = attempts.values("user", "checkpoint").annotate(
        passes=Count("pk", filter=Q(passed=True, state=submitted)),
        open=Count("pk", filter=Q(state=Attempt.State.OPEN)),
    )
    signer = signing.TimestampSigner(salt=VIEW_TOKEN_SALT)
    view_ids = {int(signer.unsign_object(token)[0]) for token in sent["view_tokens"]}
    stored_views = set(LessonView.objects.filter(users).values_list("pk", flat=True))
    started = set(sent["started_attempts"])
    return {
        "attempts": attempts.count(),
        "attempts_not_seen_started": len(
            set(attempts.values_list("pk", flat=True)) - started
        ),
        "graded_attempts": len(graded_ids),
        # Lost: the learner was told "submitted" and the attempt is not graded.
        "lost_attempts": len(answered - graded_ids),
        # Graded without a submit the learner saw answered (a timeout, say):
        # graded once or not at all is allowed, never half-written.
        "graded_without_answered_submit": len(graded_ids - answered),
        "unanswered_submits": len(unanswered),
        "graded_without_any_submit": len(graded_ids - answered - unanswered),
        "graded_attempts_without_score": attempts.filter(
            state=submitted, score__isnull=True
        ).count(),
        "passed_attempts": attempts.filter(passed=True, state=submitted).count(),
        "ledger_records": records.count(),
        "attempts_with_more_than_one_record": records.values("attempt")
        .annotate(count=Count("pk"))
        .filter(count__gt=1)
        .count(),
        "passed_attempts_without_record": attempts.filter(
            passed=True, state=submitted, completion_record__isnull=True
        ).count(),
        "learner_checkpoints_passed_twice": per_checkpoint.filter(passes__gt=1).count(),
        "learner_checkpoints_with_two_open_attempts": per_checkpoint.filter(
            open__gt=1
        ).count(),
        "views_with_id_sent": len(view_ids),
        "views_stored": len(stored_views),
        "views_sent_not_stored": len(view_ids - stored_views),
        "views_stored_not_seen": len(stored_views - view_ids),
    }


def duplicated_attempts(verified: dict) -> int:
    """Every way an attempt or its ledger row could be counted twice."""
    return (
        verified["attempts_with_more_than_one_record"]
        + verified["learner_checkpoints_passed_twice"]
        + verified["learner_checkpoints_with_two_open_attempts"]
        + verified["graded_without_any_submit"]
    )


if __name__ == "__main__":
    command, *arguments = sys.argv[1:] or [""]
    if command == "prepare":
        options = dict(zip(arguments[::2], arguments[1::2], strict=True))
        print(
            json.dumps(
                prepare(learners=int(options["--learners"]), tag=options["--tag"])
            )
        )
    elif command == "verify":
        print(json.dumps(verify(sent=json.loads(Path(arguments[0]).read_text()))))
    else:
        sys.exit("usage: python -m bench.stack_load prepare|verify")
