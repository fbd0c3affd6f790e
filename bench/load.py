"""Load generators for the benchmarks: wrk when it is installed, else Python threads.

`load_generator()` picks one; both measure a list of `Request`s against one
server in either of two ways:

- ``for_duration(requests)``: keep sending, each connection taking the next
  request of the list in turn (so a list of learners' cookies rotates), for
  the generator's duration; the rate is the requests answered per second.
- ``each_once(requests)``: send every request exactly once (each learner
  posts its form once) and stop; the rate is the requests answered over the
  time from the first request sent to the last answer received.

wrk (Debian's package) is a C client with an event loop per thread and
keep-alive connections; it is driven by a Lua script written for each
measurement (`_wrk_script`), which hands out the requests and counts the
status of every answer; for `each_once`, each thread says when its share is
answered and the runner ends wrk when all have. The Python client (a thread
per connection, `http.client`) stays as the fallback and is itself a ceiling
near a fast page's own rate, so every result says which generator measured it
and how much CPU it used.

Every figure that names the setup (threads, connections, duration) is read
from the generator's own attributes into the results, never typed again.
Nothing here asserts on time: benchmarks report figures, tests never do.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import resource
import shutil
import signal
import statistics
import subprocess
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

LOOPBACK = "127.0.0.1"
# The setup issue 13 measures with: wrk's 2 threads and 8 connections for 10 s.
WRK_THREADS = 2
WRK_CONNECTIONS = 8
DURATION_SECONDS = float(os.environ.get("GOFUN_BENCH_SECONDS", "10"))
PYTHON_CLIENT_THREADS = 8
# `each_once` ends when every request is answered; this only bounds a run
# whose server stopped answering.
EACH_ONCE_TIME_LIMIT_SECONDS = 300
# A connection waiting this long for an answer counts as a timeout error.
TIMEOUT_SECONDS = 30
# GOFUN_BENCH_CLIENT=python measures with the Python client even where wrk is.
CLIENT_ENVIRONMENT_VARIABLE = "GOFUN_BENCH_CLIENT"

_RESULT_LINE = "gofun-result "
_THREAD_DONE_LINE = "gofun-thread-done"


@dataclass(frozen=True)
class Request:
    url: str
    method: str = "GET"
    headers: Mapping[str, str] | None = None
    body: bytes | None = None


@dataclass(frozen=True)
class Response:
    status: int
    # In order, repeats kept: a response may set several cookies.
    headers: list[tuple[str, str]]
    body: bytes


@dataclass
class Measurement:
    """One measurement: answers, errors, rate, latency and the client's CPU.

    `errors` counts answers with another status than the one expected (a
    lost session shows up here rather than as a fast redirect) and requests
    that got no answer. `client_cpu_percent` is the CPU time the load
    generator itself used over the measurement's wall time (100 = one core).
    """

    requests: int
    errors: int
    seconds: float
    requests_per_second: float
    latency_median_ms: float
    latency_p90_ms: float
    latency_p99_ms: float
    client_cpu_percent: float
    statuses: dict[str, int] = field(default_factory=dict)
    # each_once with wrk: requests gunicorn refused at once while the other
    # connections finished (see _WRK_SCRIPT); not counted above.
    idle_requests: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def _origin(requests: Sequence[Request]) -> str:
    origins = set()
    for request in requests:
        parts = urlsplit(request.url)
        if parts.hostname not in {LOOPBACK, "localhost"}:
            raise ValueError(
                f"benchmarks only talk to the loopback interface, not {request.url}"
            )
        origins.add(f"{parts.scheme}://{parts.netloc}")
    if len(origins) != 1:
        raise ValueError(f"one measurement talks to one server, not {origins}")
    return origins.pop()


def _path(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def fetch(
    request: Request,
    *,
    timeout: float = 30,
    connection: http.client.HTTPConnection | None = None,
) -> Response:
    """Send one request (on `connection` when given, else on a new one)."""
    parts = urlsplit(request.url)
    if parts.hostname not in {LOOPBACK, "localhost"}:
        raise ValueError(
            f"benchmarks only talk to the loopback interface, not {request.url}"
        )
    own = connection is None
    if own:
        connection = http.client.HTTPConnection(
            parts.hostname, parts.port, timeout=timeout
        )
    try:
        connection.request(
            request.method,
            _path(request.url),
            body=request.body,
            headers=dict(request.headers or {}),
        )
        answer = connection.getresponse()
        response = Response(answer.status, answer.getheaders(), answer.read())
        if answer.will_close:
            connection.close()  # reopened by the next request
        return response
    except (OSError, http.client.HTTPException):
        connection.close()
        raise
    finally:
        if own:
            connection.close()


def _percentile(ordered: Sequence[float], fraction: float) -> float:
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


class LoadGenerator:
    """What the benchmarks measure with; see the module docstring."""

    name = ""

    def setup(self) -> dict:
        """The figures that describe this generator, for the results."""
        raise NotImplementedError

    def for_duration(
        self, requests: Sequence[Request], *, expected_status: int = 200
    ) -> Measurement:
        raise NotImplementedError

    def each_once(
        self, requests: Sequence[Request], *, expected_status: int = 200
    ) -> Measurement:
        raise NotImplementedError


class PythonClient(LoadGenerator):
    """Threads, one keep-alive connection each (reopened when the server
    closes it, as gunicorn's sync workers do after every answer)."""

    name = "python"

    def __init__(
        self,
        *,
        threads: int = PYTHON_CLIENT_THREADS,
        duration: float = DURATION_SECONDS,
    ) -> None:
        self.threads = threads
        self.duration = duration

    def setup(self) -> dict:
        return {
            "load_generator": "Python client (bench/load.py): a thread per "
            "connection, http.client",
            "client_threads": self.threads,
            "connections": self.threads,
            "duration_seconds": self.duration,
        }

    def for_duration(
        self, requests: Sequence[Request], *, expected_status: int = 200
    ) -> Measurement:
        measurement, _ = self._run(
            requests,
            expected_status=expected_status,
            cycle=True,
            time_limit=self.duration,
            keep_responses=False,
        )
        return measurement

    def each_once(
        self, requests: Sequence[Request], *, expected_status: int = 200
    ) -> Measurement:
        measurement, _ = self._run(
            requests,
            expected_status=expected_status,
            cycle=False,
            time_limit=EACH_ONCE_TIME_LIMIT_SECONDS,
            keep_responses=False,
        )
        return measurement

    def each_once_with_responses(
        self, requests: Sequence[Request], *, expected_status: int = 200
    ) -> tuple[Measurement, list[Response | None]]:
        """`each_once`, also returning the responses by request index (None
        for a request not answered)."""
        return self._run(
            requests,
            expected_status=expected_status,
            cycle=False,
            time_limit=EACH_ONCE_TIME_LIMIT_SECONDS,
            keep_responses=True,
        )

    def _run(
        self,
        requests: Sequence[Request],
        *,
        expected_status: int,
        cycle: bool,
        time_limit: float,
        keep_responses: bool,
    ) -> tuple[Measurement, list[Response | None]]:
        origin = _origin(requests)
        parts = urlsplit(origin)
        responses: list[Response | None] = [None] * len(requests)
        next_index = [0]
        lock = threading.Lock()
        latencies: list[float] = []
        statuses: Counter[str] = Counter()
        unanswered = [0]
        deadline = time.monotonic() + time_limit

        def worker() -> None:
            connection = http.client.HTTPConnection(
                parts.hostname, parts.port, timeout=TIMEOUT_SECONDS
            )
            try:
                while time.monotonic() < deadline:
                    with lock:
                        index = next_index[0]
                        if index >= len(requests) and not cycle:
                            return
                        next_index[0] += 1
                    request = requests[index % len(requests)]
                    started = time.perf_counter()
                    try:
                        response = fetch(request, connection=connection)
                    except (OSError, http.client.HTTPException):
                        response = None
                    elapsed = time.perf_counter() - started
                    with lock:
                        if response is None:
                            unanswered[0] += 1
                            continue
                        latencies.append(elapsed)
                        statuses[str(response.status)] += 1
                        if keep_responses:
                            responses[index] = response
            finally:
                connection.close()

        cpu_before = _own_cpu_seconds()
        threads = [threading.Thread(target=worker) for _ in range(self.threads)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - started
        cpu = _own_cpu_seconds() - cpu_before
        ordered = sorted(latencies)
        answered = len(ordered)
        if not cycle:  # failed, or not sent within the time limit
            unanswered[0] = len(requests) - answered
        measurement = Measurement(
            requests=answered,
            errors=answered - statuses[str(expected_status)] + unanswered[0],
            seconds=round(seconds, 3),
            requests_per_second=round(answered / seconds, 1) if seconds else 0.0,
            latency_median_ms=round(_percentile(ordered, 0.5) * 1000, 2),
            latency_p90_ms=round(_percentile(ordered, 0.9) * 1000, 2),
            latency_p99_ms=round(_percentile(ordered, 0.99) * 1000, 2),
            client_cpu_percent=round(100 * cpu / seconds, 1) if seconds else 0.0,
            statuses=dict(sorted(statuses.items())),
        )
        return measurement, responses


def _own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _lua_string(value: str | bytes) -> str:
    """A Lua string literal for any text or bytes (decimal escapes, so no
    quote, bracket or newline in it can end the literal)."""
    data = value.encode() if isinstance(value, str) else value
    out = []
    for byte in data:
        character = chr(byte)
        if 0x20 <= byte < 0x7F and character not in '"\\':
            out.append(character)
        else:
            out.append(f"\\{byte:03d}")
    return '"' + "".join(out) + '"'


def _lua_request(request: Request) -> str:
    headers = ", ".join(
        f"[{_lua_string(name)}] = {_lua_string(value)}"
        for name, value in (request.headers or {}).items()
    )
    body = _lua_string(request.body) if request.body is not None else "nil"
    return (
        f"{{{_lua_string(request.method)}, {_lua_string(_path(request.url))}, "
        f"{{{headers}}}, {body}}}"
    )


# The script wrk runs for one measurement. wrk calls setup() for each thread
# in the main Lua state, then init() and request()/response() in the thread's
# own state, and done() in the main state at the end. wrk calls request()
# once on the first thread before the run, to check that the request is valid
# HTTP, and never sends that one: the first thread's first call hands out a
# request without counting it.
#
# each_once: a connection whose thread has handed out its share must not sit
# idle, since wrk reconnects after every answer and a gunicorn sync worker
# that accepts an idle connection waits on it until its timeout, holding up
# the real requests behind it. So it sends IDLE, a request gunicorn itself
# refuses at once (400, the application never sees it), which is neither
# counted nor timed, until every thread's share is answered; the runner then
# ends wrk (SIGINT).
_WRK_SCRIPT = """-- Written by bench/load.py for one measurement.
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } gofun_timespec;
int clock_gettime(int clock_id, gofun_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local function now()
  local t = ffi.new("gofun_timespec")
  ffi.C.clock_gettime(CLOCK_MONOTONIC, t)
  return tonumber(t.tv_sec) + tonumber(t.tv_nsec) / 1e9
end

local specs = {
%(specs)s
}
local each_once = %(each_once)s
-- What gunicorn answers IDLE with (400, without calling the application).
IDLE_ANSWER = "Invalid HTTP Header"
local thread_count = %(threads)d
local threads = {}

function setup(thread)
  thread:set("number", #threads)
  table.insert(threads, thread)
end

function init(args)
  -- each_once: thread k sends requests k+1, k+1+T, ...; otherwise every
  -- thread cycles through all of them, starting at its own place.
  mine = {}
  if each_once then
    for i = number + 1, #specs, thread_count do
      local spec = specs[i]
      mine[#mine + 1] = wrk.format(spec[1], spec[2], spec[3], spec[4])
    end
  else
    for j = 0, #specs - 1 do
      local spec = specs[(number + j) %% #specs + 1]
      mine[#mine + 1] = wrk.format(spec[1], spec[2], spec[3], spec[4])
    end
  end
  checking = (number == 0)
  IDLE = "GET /gofun-bench-idle HTTP/1.1\\r\\nHost: " .. wrk.host ..
    "\\r\\nContent-Length: idle\\r\\n\\r\\n"
  sent = 0
  idle_sent = 0
  answered = 0
  statuses = {}
  started = 0
  finished = 0
end

function request()
  if checking then
    checking = false
    return mine[1]
  end
  if each_once and sent >= #mine then
    idle_sent = idle_sent + 1
    return IDLE
  end
  if sent == 0 then
    started = now()
  end
  sent = sent + 1
  return mine[(sent - 1) %% #mine + 1]
end

function response(status, headers, body)
  if status == 400 and string.find(body, IDLE_ANSWER, 1, true) then
    return
  end
  answered = answered + 1
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
  finished = now()
  if each_once and answered == #mine then
    io.stderr:write("%(thread_done)s\\n")
    io.stderr:flush()
  end
end

function done(summary, latency, requests)
  local answered_total, idle_total, first, last = 0, 0, nil, nil
  local merged = {}
  for _, thread in ipairs(threads) do
    answered_total = answered_total + thread:get("answered")
    idle_total = idle_total + thread:get("idle_sent")
    local started = thread:get("started")
    local finished = thread:get("finished")
    if started > 0 and (first == nil or started < first) then first = started end
    if finished > 0 and (last == nil or finished > last) then last = finished end
    for status, count in pairs(thread:get("statuses")) do
      merged[status] = (merged[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(merged) do
    parts[#parts + 1] = string.format('"%%s": %%d', status, count)
  end
  local errors = summary.errors
  io.write(string.format(
    '%(result)s{"answered": %%d, "idle_sent": %%d, "first": %%.6f, "last": %%.6f, ' ..
    '"duration_us": %%d, "socket_errors": %%d, "timeouts": %%d, ' ..
    '"p50_us": %%d, "p90_us": %%d, "p99_us": %%d, "statuses": {%%s}}\\n',
    answered_total, idle_total, first or 0, last or 0, summary.duration,
    errors.connect + errors.read + errors.write, errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    table.concat(parts, ", ")))
end
"""


def _wrk_script(requests: Sequence[Request], *, each_once: bool, threads: int) -> str:
    return _WRK_SCRIPT % {
        "specs": ",\n".join(_lua_request(request) for request in requests),
        "each_once": "true" if each_once else "false",
        "threads": threads,
        "thread_done": _THREAD_DONE_LINE,
        "result": _RESULT_LINE,
    }


def wrk_version(executable: str = "wrk") -> str:
    """wrk's version line ("wrk debian/4.1.0-3+b2 [epoll]"), or "" without it."""
    path = shutil.which(executable)
    if path is None:
        return ""
    result = subprocess.run(
        [path, "--version"], capture_output=True, text=True, check=False
    )
    match = re.search(r"^wrk [^\n]*?(?= Copyright|$)", result.stdout, re.MULTILINE)
    return match.group(0).strip() if match else "wrk"


class Wrk(LoadGenerator):
    """wrk driven by a generated Lua script (see the module docstring)."""

    name = "wrk"

    def __init__(
        self,
        *,
        threads: int = WRK_THREADS,
        connections: int = WRK_CONNECTIONS,
        duration: float = DURATION_SECONDS,
        executable: str = "wrk",
    ) -> None:
        if connections < threads:
            raise ValueError("wrk needs at least one connection per thread")
        self.threads = threads
        self.connections = connections
        self.duration = duration
        self.executable = shutil.which(executable) or executable

    def setup(self) -> dict:
        return {
            "load_generator": wrk_version(self.executable) or "wrk",
            "wrk_threads": self.threads,
            "connections": self.connections,
            "keep_alive": True,
            "duration_seconds": self.duration,
        }

    def for_duration(
        self, requests: Sequence[Request], *, expected_status: int = 200
    ) -> Measurement:
        return self._run(requests, each_once=False, expected_status=expected_status)

    def each_once(
        self, requests: Sequence[Request], *, expected_status: int = 200
    ) -> Measurement:
        if len(requests) < self.threads:
            raise ValueError(f"each_once needs at least {self.threads} requests")
        return self._run(requests, each_once=True, expected_status=expected_status)

    def _run(
        self, requests: Sequence[Request], *, each_once: bool, expected_status: int
    ) -> Measurement:
        origin = _origin(requests)
        seconds_allowed = EACH_ONCE_TIME_LIMIT_SECONDS if each_once else self.duration
        with tempfile.TemporaryDirectory(prefix="gofun-wrk-") as directory:
            script = Path(directory) / "load.lua"
            script.write_text(
                _wrk_script(requests, each_once=each_once, threads=self.threads)
            )
            command = [
                self.executable,
                "--threads",
                str(self.threads),
                "--connections",
                str(self.connections),
                "--duration",
                f"{seconds_allowed:g}s",
                "--timeout",
                f"{TIMEOUT_SECONDS}s",
                "--script",
                str(script),
                origin + "/",
            ]
            process = subprocess.Popen(  # noqa: S603 -- a fixed command line
                command,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            output: list[str] = []
            reader = threading.Thread(
                target=lambda: output.append(process.stdout.read()), daemon=True
            )
            reader.start()
            errors_seen: list[str] = []
            threads_done = 0
            for line in process.stderr:
                if line.strip() == _THREAD_DONE_LINE:
                    threads_done += 1
                    if each_once and threads_done == self.threads:
                        # Every share is answered: end now rather than at
                        # the time limit (wrk reports on SIGINT as at the end).
                        process.send_signal(signal.SIGINT)
                else:
                    errors_seen.append(line)
            _, status, usage = os.wait4(process.pid, 0)
            process.returncode = os.waitstatus_to_exitcode(status)
            reader.join()
        stdout = "".join(output)
        result_line = next(
            (
                line[len(_RESULT_LINE) :]
                for line in stdout.splitlines()
                if line.startswith(_RESULT_LINE)
            ),
            None,
        )
        if process.returncode != 0 or result_line is None:
            raise RuntimeError(
                f"wrk failed ({process.returncode}):\n{stdout[-2000:]}"
                f"{''.join(errors_seen)[-2000:]}"
            )
        result = json.loads(result_line)
        if each_once:
            seconds = max(result["last"] - result["first"], 0.0)
        else:
            seconds = result["duration_us"] / 1_000_000
        answered = result["answered"]
        statuses = {key: result["statuses"][key] for key in sorted(result["statuses"])}
        unanswered = result["socket_errors"] + result["timeouts"]
        if each_once:
            unanswered = max(unanswered, len(requests) - answered)
        cpu = usage.ru_utime + usage.ru_stime
        wall = result["duration_us"] / 1_000_000
        return Measurement(
            requests=answered,
            errors=answered - statuses.get(str(expected_status), 0) + unanswered,
            seconds=round(seconds, 3),
            requests_per_second=round(answered / seconds, 1) if seconds else 0.0,
            latency_median_ms=round(result["p50_us"] / 1000, 2),
            latency_p90_ms=round(result["p90_us"] / 1000, 2),
            latency_p99_ms=round(result["p99_us"] / 1000, 2),
            client_cpu_percent=round(100 * cpu / wall, 1) if wall else 0.0,
            statuses=statuses,
            idle_requests=result["idle_sent"],
        )


def load_generator() -> LoadGenerator:
    """wrk when it is installed (unless GOFUN_BENCH_CLIENT=python), else the
    Python client."""
    if os.environ.get(CLIENT_ENVIRONMENT_VARIABLE) != "python" and shutil.which("wrk"):
        return Wrk()
    return PythonClient()


def alternating_rounds(
    targets: Sequence[tuple[str, Callable[[], Measurement]]], *, rounds: int
) -> dict[str, list[Measurement]]:
    """Measure each target once per round, in the order given, round after
    round (baseline, subject, baseline, subject, …), so that a change in the
    machine's load falls on all of them alike."""
    results: dict[str, list[Measurement]] = {name: [] for name, _ in targets}
    for round_number in range(1, rounds + 1):
        for name, measure in targets:
            print(f"  round {round_number}/{rounds}: {name} …", flush=True)
            results[name].append(measure())
    return results


def summary(measurements: Sequence[Measurement]) -> dict:
    """The median rate of the rounds, their spread and each round's figures."""
    rates = [measurement.requests_per_second for measurement in measurements]
    return {
        "median_requests_per_second": round(statistics.median(rates), 1),
        "min_requests_per_second": min(rates),
        "max_requests_per_second": max(rates),
        "median_latency_ms": round(
            statistics.median(m.latency_median_ms for m in measurements), 2
        ),
        "errors": sum(measurement.errors for measurement in measurements),
        "rounds": [measurement.as_dict() for measurement in measurements],
    }


def median_ratio(
    subject: Sequence[Measurement], baseline: Sequence[Measurement]
) -> float | None:
    """The subject's median rate over the baseline's (rounds of one run)."""
    below = statistics.median(m.requests_per_second for m in baseline)
    if not below:
        return None
    return round(statistics.median(m.requests_per_second for m in subject) / below, 3)
