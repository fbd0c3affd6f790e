"""The task worker killed (SIGKILL) in the middle of a task: after a restart
the task runs again, and nothing it sends arrives twice.

The push to the LRS is caught at its worst moment: the statement is on its
way to the LRS (frozen with SIGSTOP, so the worker waits for its answer)
but not yet marked sent. The worker dies there; the LRS then wakes and
stores what it was sent. The restarted worker finds the task its dead
predecessor held (task_worker's heartbeat sweep), runs it again under the
same id, sends that statement again, and the LRS keeps it once.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
import requests

from e2e.learners import learner_with_a_checkpoint, wait_until


def pid(stack, name: str) -> int:
    return int((stack.dir / "pids" / f"{name}.pid").read_text().split()[0])


def outbox_entry(stack, record_id: int):
    rows = stack.sql(
        "SELECT statement_id::text, status, lease FROM hr_export_lrsoutboxentry "
        "WHERE record_id = %s",
        record_id,
    )
    return rows[0] if rows else None


def stored_copies(stack, statement_id: str) -> int:
    """How many times the LRS's files hold the statement."""
    folder = Path(stack.dir, "lrs", "data")
    return sum(
        path.read_text("utf-8", "replace").count(f'"id": "{statement_id}"')
        + path.read_text("utf-8", "replace").count(f'"id":"{statement_id}"')
        for path in folder.rglob("*")
        if path.is_file()
    )


def task_finished(stack, task_id: str) -> tuple[str, list[str]]:
    """The task's final status and the workers that ran it, once it ends."""
    ((status, workers),) = wait_until(
        lambda: stack.sql(
            "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult "
            "WHERE id = %s AND status IN ('SUCCESSFUL', 'FAILED')",
            task_id,
        ),
        timeout=180,
    )
    return status, workers


def eventually(condition, *, timeout: float) -> bool:
    try:
        wait_until(condition, timeout=timeout)
    except pytest.fail.Exception:
        return False
    return True


def test_a_push_killed_mid_send_runs_again_and_the_lrs_keeps_the_statement_once(
    stack,
):
    learner = learner_with_a_checkpoint(stack, skip=4)
    lrs = pid(stack, "lrs")
    os.killpg(lrs, signal.SIGSTOP)
    try:
        attempt_id = learner.start_attempt()
        assert learner.submit(attempt_id, right=True).status_code == 200
        ((record_id,),) = stack.sql(
            "SELECT id FROM quizzes_completionrecord WHERE attempt_id = %s",
            attempt_id,
        )
        # The push task has leased the statement and is waiting for the LRS.
        statement_id, _, _ = wait_until(
            lambda: (
                (entry := outbox_entry(stack, record_id))
                and entry[1] == "pending"
                and entry[2] is not None
                and entry
            ),
            timeout=60,
        )
        ((task_id,),) = stack.sql(
            "SELECT id::text FROM django_tasks_database_dbtaskresult "
            "WHERE task_path = 'hr_export.tasks.lrs_push_task' AND status = 'RUNNING'"
        )
        os.killpg(pid(stack, "worker"), signal.SIGKILL)
    finally:
        os.killpg(lrs, signal.SIGCONT)
    # Uvicorn reads the request the dead worker left and stores it (most
    # often: it may also notice the client gone; either way, once at the end).
    eventually(lambda: stored_copies(stack, statement_id) >= 1, timeout=15)

    stack.start("worker")

    wait_until(lambda: outbox_entry(stack, record_id)[1] == "sent", timeout=120)
    ((status, workers),) = stack.sql(
        "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult "
        "WHERE id = %s",
        task_id,
    )
    assert status == "SUCCESSFUL"
    assert len(workers) == 2  # ran again after its worker died
    assert stored_copies(stack, statement_id) == 1
    answer = requests.get(
        f"{stack.env['GOFUN_LRS_URL']}statements",
        params={"statementId": statement_id},
        auth=(stack.env["GOFUN_LRS_USERNAME"], stack.env["GOFUN_LRS_PASSWORD"]),
        timeout=60,
    )
    assert answer.status_code == 200
    assert [found["id"] for found in answer.json()["statements"]] == [statement_id]


# A day of the stack's own: no other test sends that day's reminders.
REMINDER_DAY = "2027-02-17"

ENQUEUE_REMINDERS = """
from reminders.tasks import send_training_reminders_task
print(send_training_reminders_task.enqueue(today="{day}").id)
"""


def test_reminders_killed_mid_send_run_again_and_send_no_mail_twice(stack):
    smtp = pid(stack, "smtp")
    before = stack.mails()
    os.killpg(smtp, signal.SIGSTOP)
    try:
        output = stack.manage(
            "shell", "--no-imports", "-c", ENQUEUE_REMINDERS.format(day=REMINDER_DAY)
        ).stdout
        task_id = output.split()[-1]
        # The first mail is claimed and on its way to the (frozen) server.
        wait_until(
            lambda: stack.sql(
                "SELECT 1 FROM reminders_remindermail "
                "WHERE day = %s AND state = 'sending'",
                REMINDER_DAY,
            ),
            timeout=120,
        )
        os.killpg(pid(stack, "worker"), signal.SIGKILL)
    finally:
        os.killpg(smtp, signal.SIGCONT)

    stack.start("worker")

    status, workers = task_finished(stack, task_id)
    assert status == "SUCCESSFUL"
    assert len(workers) == 2
    rows = stack.sql(
        "SELECT recipient_id, state, message_id FROM reminders_remindermail "
        "WHERE day = %s",
        REMINDER_DAY,
    )
    assert len(rows) > 1  # the run went on after the one it was killed in
    new_mails = stack.mails()[len(before) :]
    received = [mail["Message-ID"] for mail in new_mails]
    # No mail twice; every mail received is one the log names.
    assert len(received) == len(set(received))
    assert set(received) <= {message_id for _, _, message_id in rows}
    # Every row but the one killed mid-send says sent, and its mail arrived.
    sent = {message_id for _, state, message_id in rows if state == "sent"}
    assert sent <= set(received)
    assert sum(1 for _, state, _ in rows if state != "sent") <= 1


ROLLUP_STATE = """
SELECT
  (SELECT count(*) FROM analytics_lessondayrollup WHERE day = %(day)s),
  (SELECT coalesce(sum(views), 0) FROM analytics_lessondayrollup WHERE day = %(day)s),
  (SELECT coalesce(sum(completions), 0)
     FROM analytics_lessondayrollup WHERE day = %(day)s),
  (SELECT count(*) FROM analytics_slidereachday WHERE day = %(day)s),
  (SELECT coalesce(sum(views_reached), 0)
     FROM analytics_slidereachday WHERE day = %(day)s),
  (SELECT count(*) FROM analytics_lessonviewtotal),
  (SELECT coalesce(sum(views), 0) FROM analytics_lessonviewtotal),
  (SELECT views FROM analytics_rollupday WHERE day = %(day)s)
"""

ROLL_UP = """
from analytics.tasks import rollup_days_task
print(rollup_days_task.enqueue(days=["{day}"]).id)
"""


def rollup_state(stack, day) -> tuple:
    import psycopg

    with psycopg.connect(stack.env["GOFUN_STACK_SUPERUSER_DATABASE_URL"]) as db:
        return db.execute(ROLLUP_STATE, {"day": day}).fetchone()


def test_a_roll_up_killed_mid_day_runs_again_and_counts_the_day_once(stack):
    # A past day with views, rolled up once as it should be.
    ((day,),) = stack.sql(
        "SELECT (started_at AT TIME ZONE 'Asia/Tokyo')::date AS day "
        "FROM analytics_lessonview GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
    )
    stack.manage(
        "rollup_views",
        "--since",
        day.isoformat(),
        "--until",
        day.isoformat(),
        "--no-purge",
    )
    expected = rollup_state(stack, day)
    assert expected[1] > 0

    import psycopg

    with psycopg.connect(stack.env["GOFUN_STACK_SUPERUSER_DATABASE_URL"]) as holder:
        # Past the day's lock and its first deletes: the reach rows wait.
        holder.execute("LOCK TABLE analytics_slidereachday IN SHARE ROW EXCLUSIVE MODE")
        output = stack.manage(
            "shell", "--no-imports", "-c", ROLL_UP.format(day=day.isoformat())
        ).stdout
        task_id = output.split()[-1]
        wait_until(
            lambda: stack.sql(
                "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND application_name = 'gofun-worker'"
            ),
            timeout=120,
        )
        os.killpg(pid(stack, "worker"), signal.SIGKILL)
        holder.rollback()

    stack.start("worker")

    status, workers = task_finished(stack, task_id)
    assert status == "SUCCESSFUL"
    assert len(workers) == 2
    assert rollup_state(stack, day) == expected
