"""A short load on the stack (bench/stack_load.py, briefly): simulated learners
read, search and take checkpoints, and afterwards the database holds every
submit graded once and every view the pages carried.

The figures (error rate, latencies per kind of request) are written to
var/e2e-load.json and printed; nothing here asserts on time.
GOFUN_E2E_LOAD_LEARNERS (300) and GOFUN_E2E_LOAD_SECONDS (40) change the run.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from bench.stack_load import duplicated_attempts, load_run

LEARNERS = int(os.environ.get("GOFUN_E2E_LOAD_LEARNERS", "300"))
SECONDS = float(os.environ.get("GOFUN_E2E_LOAD_SECONDS", "40"))
REPORT = Path(__file__).resolve().parent.parent / "var" / "e2e-load.json"


def _report(capsys, figures: dict) -> None:
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n")
    lines = [
        f"short load: {figures['setup']['learners']} learners, "
        f"{figures['wall_seconds']} s, {figures['requests']} requests, "
        f"error rate {figures['error_rate']:.2%}, "
        f"{figures['requests_per_second']} requests/s, "
        f"client CPU {figures['client_cpu_percent']} %",
    ]
    for kind, row in figures["by_kind"].items():
        lines.append(
            f"  {kind:<15} {row['requests']:>6} requests  {row['errors']:>4} errors  "
            f"median {row['latency_median_ms']:>8} ms  p95 {row['latency_p95_ms']:>8} "
            f"ms  p99 {row['latency_p99_ms']:>8} ms"
        )
    lines.append(f"  database after: {json.dumps(figures['database_after'])}")
    lines.append(f"  (all figures: {REPORT})")
    with capsys.disabled():
        sys.stdout.write("\n" + "\n".join(lines) + "\n")


def test_short_load_loses_and_duplicates_no_attempt_and_no_view(stack, capsys):
    figures = load_run(env=stack.env, learners=LEARNERS, seconds=SECONDS)
    _report(capsys, figures)
    after = figures["database_after"]
    sent = figures["sent"]

    # The load did what it says: learners were answered, submitted and passed.
    assert sent["submits_answered_302"] > 0
    assert after["passed_attempts"] > 0
    # Every submit the learner saw answered is graded, once.
    assert after["lost_attempts"] == 0
    assert duplicated_attempts(after) == 0
    assert after["graded_attempts_without_score"] == 0
    assert after["passed_attempts_without_record"] == 0
    assert after["ledger_records"] == after["passed_attempts"]
    # Every view a page carried is stored; no stored view came from nowhere.
    assert sent["views_with_id"] > 0
    assert after["views_sent_not_stored"] == 0
    assert after["views_stored_not_seen"] <= sent["lessons_not_served"]
    # Overload may slow or refuse requests; it never makes the site fail.
    server_errors = {
        kind: row["statuses"].get("500", 0) for kind, row in figures["by_kind"].items()
    }
    assert sum(server_errors.values()) == 0, server_errors
