"""A gunicorn worker killed (SIGKILL) while it grades a checkpoint: the
attempt is graded once or not at all, never half-written, and the learner's
next submit grades it once.

The submit is held at a chosen point by a lock the database's superuser
takes: on the learner's row (before anything is written) or on the ledger
(after the attempt and its answers are written, before the pass is
recorded). The worker waiting on it is found by the application name each
worker gives PostgreSQL (bin/stack's gunicorn config), and killed.
"""

from __future__ import annotations

import os
import signal
import threading

import psycopg
import pytest

from e2e.learners import learner_with_a_checkpoint, wait_until

HOLDS = {
    "before grading": "SELECT id FROM auth_user WHERE id = %(user)s FOR UPDATE",
    "while recording the pass": (
        "LOCK TABLE quizzes_completionrecord IN SHARE ROW EXCLUSIVE MODE"
    ),
}


def attempt_state(stack, attempt_id: int) -> dict:
    ((state, score, passed),) = stack.sql(
        "SELECT state, score, passed FROM quizzes_attempt WHERE id = %s", attempt_id
    )
    ((answered,),) = stack.sql(
        "SELECT count(*) FROM quizzes_attemptquestion "
        "WHERE attempt_id = %s AND selected_keys IS NOT NULL",
        attempt_id,
    )
    ((records,),) = stack.sql(
        "SELECT count(*) FROM quizzes_completionrecord WHERE attempt_id = %s",
        attempt_id,
    )
    return {
        "state": state,
        "score": score,
        "passed": passed,
        "answered": answered,
        "records": records,
    }


def waiting_worker(stack) -> int | None:
    rows = stack.sql(
        "SELECT application_name FROM pg_stat_activity "
        "WHERE wait_event_type = 'Lock' AND application_name LIKE 'gofun-web-%%'"
    )
    return int(rows[0][0].rsplit("-", 1)[1]) if rows else None


@pytest.mark.parametrize("hold", HOLDS, ids=list(HOLDS))
def test_a_worker_killed_mid_submit_leaves_the_attempt_whole(stack, hold):
    learner = learner_with_a_checkpoint(stack, skip=2 + list(HOLDS).index(hold))
    attempt_id = learner.start_attempt()
    questions = stack.sql(
        "SELECT count(*) FROM quizzes_attemptquestion WHERE attempt_id = %s",
        attempt_id,
    )[0][0]
    outcome = {}

    with psycopg.connect(stack.env["GOFUN_STACK_SUPERUSER_DATABASE_URL"]) as holder:
        holder.execute(HOLDS[hold], {"user": learner.user_id})
        submit = threading.Thread(
            target=lambda: outcome.update(
                response=learner.submit(attempt_id, right=True)
            )
        )
        submit.start()
        worker = wait_until(lambda: waiting_worker(stack), timeout=60)
        os.kill(worker, signal.SIGKILL)
        submit.join(timeout=60)
        holder.rollback()

    # The killed worker's transaction ends with its connection.
    wait_until(
        lambda: (
            not stack.sql(
                "SELECT 1 FROM pg_stat_activity WHERE application_name = %s",
                f"gofun-web-{worker}",
            )
        ),
        timeout=60,
    )
    assert outcome["response"].status_code == 502
    assert attempt_state(stack, attempt_id) == {
        "state": "open",
        "score": None,
        "passed": None,
        "answered": 0,
        "records": 0,
    }

    again = learner.submit(attempt_id, right=True)
    twice = learner.submit(attempt_id, right=True)

    assert again.status_code == 200
    assert twice.status_code == 200
    assert attempt_state(stack, attempt_id) == {
        "state": "submitted",
        "score": questions,
        "passed": True,
        "answered": questions,
        "records": 1,
    }
