"""The load generators measure what they are given: each request once, or
every request in turn, with statuses counted (wrk when installed, and the
Python client). A small real HTTP server on the loopback interface records
what arrives."""

from __future__ import annotations

import shutil
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.load import (
    Measurement,
    PythonClient,
    Request,
    Wrk,
    alternating_rounds,
    median_ratio,
    summary,
)


class _Recorder(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    received: Counter
    lock: threading.Lock

    def _answer(self, status: int, body: bytes = b"ok") -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802 -- http.server's name
        with self.lock:
            self.received[("GET", self.path, self.headers.get("Cookie"), b"")] += 1
        self._answer(404 if self.path == "/missing" else 200)

    def do_POST(self):  # noqa: N802 -- http.server's name
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with self.lock:
            self.received[("POST", self.path, self.headers.get("Cookie"), body)] += 1
        self._answer(302, b"")

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server():
    handler = type(
        "Recorder", (_Recorder,), {"received": Counter(), "lock": threading.Lock()}
    )
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}", handler.received
    httpd.shutdown()
    httpd.server_close()


def _wrk():
    if shutil.which("wrk") is None:
        pytest.skip("wrk is not installed (apt-get install wrk)")
    return Wrk(duration=1)


@pytest.fixture(params=["wrk", "python"])
def generator(request):
    return _wrk() if request.param == "wrk" else PythonClient(duration=1)


def _posts(base_url: str, count: int) -> list[Request]:
    # Quotes, brackets, a backslash and Japanese: nothing may end the
    # generated script's strings early.
    return [
        Request(
            f"{base_url}/submit/{number}?q=\"']]",
            method="POST",
            headers={"Cookie": f"sessionid=s{number}\\\\x", "X-Note": "[[ ]] --"},
            body=f"question-0={number}&text=標的型メール".encode(),
        )
        for number in range(count)
    ]


def test_each_once_sends_every_request_exactly_once(server, generator):
    base_url, received = server
    requests = _posts(base_url, 37)

    measurement = generator.each_once(requests, expected_status=302)

    assert measurement.requests == 37
    assert measurement.errors == 0
    assert measurement.statuses == {"302": 37}
    assert received == Counter(
        {
            ("POST", f"/submit/{number}?q=\"']]", f"sessionid=s{number}\\\\x", body): 1
            for number, body in (
                (number, f"question-0={number}&text=標的型メール".encode())
                for number in range(37)
            )
        }
    )


def test_for_duration_sends_every_request_in_turn(server, generator):
    base_url, received = server
    requests = [
        Request(f"{base_url}/page", headers={"Cookie": f"sessionid=learner{number}"})
        for number in range(5)
    ]

    measurement = generator.for_duration(requests)

    cookies = {cookie for _, _, cookie, _ in received}
    assert cookies == {f"sessionid=learner{number}" for number in range(5)}
    # Requests still on their way when the time is up are not counted.
    assert 0 < measurement.requests <= sum(received.values())
    assert measurement.errors == 0


def test_an_unexpected_status_counts_as_an_error(server, generator):
    base_url, _ = server
    requests = [Request(f"{base_url}/missing")] * 4

    measurement = generator.each_once(requests)

    assert measurement.statuses == {"404": 4}
    assert measurement.errors == 4


def test_wrk_says_what_measured_with_which_setup():
    setup = _wrk().setup()

    assert setup["load_generator"].startswith("wrk")
    assert (setup["wrk_threads"], setup["connections"]) == (2, 8)
    assert setup["keep_alive"] is True


def _measured(rate: float) -> Measurement:
    return Measurement(
        requests=1,
        errors=0,
        seconds=1,
        requests_per_second=rate,
        latency_median_ms=1,
        latency_p90_ms=1,
        latency_p99_ms=1,
        client_cpu_percent=1,
    )


def test_rounds_alternate_between_the_targets():
    calls = []

    def target(name: str):
        def measure() -> Measurement:
            calls.append(name)
            return _measured(1.0)

        return measure

    alternating_rounds(
        [("baseline", target("baseline")), ("subject", target("subject"))], rounds=3
    )

    assert calls == ["baseline", "subject"] * 3


def test_ratio_is_of_the_medians_and_the_spread_is_reported():
    baseline = [_measured(rate) for rate in (100.0, 300.0, 200.0)]
    subject = [_measured(rate) for rate in (90.0, 500.0, 250.0)]

    assert median_ratio(subject, baseline) == 1.25
    figures = summary(subject)
    assert figures["median_requests_per_second"] == 250.0
    assert (figures["min_requests_per_second"], figures["max_requests_per_second"]) == (
        90.0,
        500.0,
    )
