"""Serving a WSGI app with gunicorn and measuring it, for the benchmarks.

The API is small on purpose:

- ``gunicorn_server(app, cwd=..., env=...)`` is a context manager that starts
  gunicorn (2 sync workers by default) on 127.0.0.1 on a free port, waits until
  it answers, yields its base URL ("http://127.0.0.1:PORT") and stops it.
- ``measure_throughput(url, ...)`` sends a bounded number of requests from a
  few Python threads and returns a ``Throughput`` (requests per second,
  median and 95th percentile latency, errors). It only talks to the loopback
  interface, stops at ``time_limit`` seconds whatever happens, and can POST a
  body (for form submissions) as well as GET.
- ``measure_requests(requests, ...)`` does the same for a list of different
  ``Request``s (each learner with its own cookies and form), sending each
  once, and also returns the ``Response``s, so a page's form can be read
  before it is submitted.
- ``run_checked(command, ...)`` and ``gofun_environment(directory)`` run the
  Django side of a benchmark in child processes on a throwaway SQLite
  database, so the runner itself never configures Django.

Nothing here asserts on time: benchmarks report figures, tests never do.
"""

from __future__ import annotations

import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

LOOPBACK = "127.0.0.1"


def run_checked(command: list[str], *, cwd: Path, env: Mapping[str, str]) -> str:
    """Run `command`; return its standard output, or raise with its error output."""
    result = subprocess.run(
        command, cwd=cwd, env=dict(env), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command)} failed ({result.returncode}):\n"
            f"{result.stderr[-3000:]}"
        )
    return result.stdout


def gofun_environment(directory: Path) -> dict[str, str]:
    """The environment for Gofun's bench settings on a SQLite file in `directory`."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": f"sqlite:///{directory / 'gofun.sqlite3'}",
    }


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


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


def _request(
    url: str,
    *,
    method: str = "GET",
    headers: Mapping[str, str] | None = None,
    body: bytes | None = None,
    timeout: float = 30,
) -> Response:
    parts = urlsplit(url)
    if parts.hostname not in {LOOPBACK, "localhost"}:
        raise ValueError(f"benchmarks only talk to the loopback interface, not {url}")
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        connection.request(method, path, body=body, headers=dict(headers or {}))
        response = connection.getresponse()
        return Response(response.status, response.getheaders(), response.read())
    finally:
        connection.close()


def wait_until_answering(
    url: str, *, process: subprocess.Popen, timeout: float
) -> None:
    """Poll `url` until the server answers with any HTTP status, or give up."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with status {process.returncode}")
        try:
            _request(url, timeout=5)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the server did not answer at {url} within {timeout:.0f} s")


@contextmanager
def gunicorn_server(
    app: str,
    *,
    cwd: Path | str,
    env: Mapping[str, str] | None = None,
    workers: int = 2,
    ready_path: str = "/",
    startup_timeout: float = 90,
) -> Iterator[str]:
    """Serve the WSGI callable `app` ("module:name") from `cwd`; yield its base URL.

    `env` replaces the environment of the server process (pass
    ``{**os.environ, ...}`` to extend it). The server is stopped on exit,
    whatever happens inside the block.
    """
    port = free_port()
    base_url = f"http://{LOOPBACK}:{port}"
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--workers",
        str(workers),
        "--bind",
        f"{LOOPBACK}:{port}",
        "--chdir",
        str(cwd),
        "--log-level",
        "warning",
        app,
    ]
    process = subprocess.Popen(
        command, cwd=cwd, env=dict(env if env is not None else os.environ)
    )
    try:
        wait_until_answering(
            base_url + ready_path, process=process, timeout=startup_timeout
        )
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class Throughput:
    requests: int
    errors: int
    seconds: float
    requests_per_second: float
    median_ms: float
    p95_ms: float

    def as_dict(self) -> dict:
        return asdict(self)


def measure_throughput(
    url: str,
    *,
    requests: int = 400,
    concurrency: int = 4,
    warmup: int = 20,
    time_limit: float = 60,
    method: str = "GET",
    headers: Mapping[str, str] | None = None,
    body: bytes | None = None,
    expected_status: int = 200,
) -> Throughput:
    """Send `requests` requests from `concurrency` threads; report the rate.

    A response with another status than `expected_status` counts as an error
    (a lost session shows up here rather than as a fast redirect). Stops early
    at `time_limit` seconds; the rate counts the requests actually made.
    """
    for _ in range(warmup):
        _request(url, method=method, headers=headers, body=body)
    request = Request(url, method=method, headers=headers, body=body)
    throughput, _ = measure_requests(
        [request] * requests,
        concurrency=concurrency,
        time_limit=time_limit,
        expected_status=expected_status,
        keep_responses=False,
    )
    return throughput


def measure_requests(
    requests: Sequence[Request],
    *,
    concurrency: int = 4,
    time_limit: float = 60,
    expected_status: int = 200,
    keep_responses: bool = True,
) -> tuple[Throughput, list[Response | None]]:
    """Send each request once, in order, from `concurrency` threads.

    Returns the figures as `measure_throughput` does and the responses by the
    index of their request: None for a request not made (past `time_limit`)
    or that failed without an HTTP answer, or when `keep_responses` is off.
    """
    responses: list[Response | None] = [None] * len(requests)
    next_index = [0]
    lock = threading.Lock()
    latencies: list[float] = []
    errors = [0]
    deadline = time.monotonic() + time_limit

    def worker() -> None:
        while time.monotonic() < deadline:
            with lock:
                index = next_index[0]
                if index >= len(requests):
                    return
                next_index[0] += 1
            request = requests[index]
            started = time.perf_counter()
            try:
                response = _request(
                    request.url,
                    method=request.method,
                    headers=request.headers,
                    body=request.body,
                )
                failed = response.status != expected_status
            except OSError:
                response, failed = None, True
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                errors[0] += failed
                if keep_responses:
                    responses[index] = response

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    done = len(latencies)
    ordered = sorted(latencies)
    throughput = Throughput(
        requests=done,
        errors=errors[0],
        seconds=round(seconds, 3),
        requests_per_second=round(done / seconds, 1) if seconds else 0.0,
        median_ms=round(statistics.median(ordered) * 1000, 1) if ordered else 0.0,
        p95_ms=round(ordered[int(0.95 * (done - 1))] * 1000, 1) if ordered else 0.0,
    )
    return throughput, responses
