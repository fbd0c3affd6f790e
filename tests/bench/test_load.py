"""The load generators measure what they are given: each request once, or
every request in turn, with statuses counted (wrk when installed, and the
Python client), against gunicorn serving a small app that records what
arrives, as the benchmarks serve Gofun."""

from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from pathlib import Path

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
from bench.support import gunicorn_server

REPOSITORY = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """gunicorn, as the benchmarks serve pages, running tests/bench/recorder.py."""
    record = tmp_path_factory.mktemp("recorder") / "requests.jsonl"
    record.touch()
    environment = {**os.environ, "GOFUN_RECORDER_FILE": str(record)}
    with gunicorn_server(
        "tests.bench.recorder:application", cwd=REPOSITORY, env=environment
    ) as base_url:
        yield base_url, record


@pytest.fixture
def server(served):
    """The base URL, and a function returning what arrived since the test began
    as a Counter of (method, path, cookie, body)."""
    base_url, record = served
    record.write_text("")

    def received() -> Counter:
        lines = record.read_text(encoding="utf-8").splitlines()
        return Counter(
            tuple(json.loads(line)[key] for key in ("method", "path", "cookie", "body"))
            for line in lines
        )

    return base_url, received


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
    # Only the application's requests: gunicorn refuses idle ones itself.
    assert received() == Counter(
        {
            (
                "POST",
                f"/submit/{number}?q=\"']]",
                f"sessionid=s{number}\\\\x",
                f"question-0={number}&text=標的型メール",
            ): 1
            for number in range(37)
        }
    )


def test_for_duration_sends_every_request_in_turn(server, generator):
    base_url, received = server
    requests = [
        Request(f"{base_url}/page", headers={"Cookie": f"sessionid=learner{number}"})
        for number in range(5)
    ]

    measurement = generator.for_duration(requests)

    arrived = received()
    cookies = {cookie for _, _, cookie, _ in arrived}
    assert cookies == {f"sessionid=learner{number}" for number in range(5)}
    # Requests still on their way when the time is up are not counted.
    assert 0 < measurement.requests <= sum(arrived.values())
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
