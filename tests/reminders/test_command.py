"""`send_training_reminders` from the shell (and from cron)."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reminders.models import ReminderMail
from tests.training.conftest import days, today

from .conftest import staff

pytestmark = pytest.mark.django_db


def run(*args, **options) -> str:
    out = StringIO()
    call_command("send_training_reminders", *args, stdout=out, **options)
    return out.getvalue()


def test_json_prints_exactly_sent_escalations_and_skipped(
    mandatory_course, division, reminder_days, outbox
):
    staff("late", due_in=-20, division=division)
    staff("gone", due_in=-20, division=division, active=False)

    first = run("--json")
    second = run("--json")

    assert json.loads(first) == {"sent": 2, "escalations": 1, "skipped": 1}
    assert first.strip() == '{"sent": 2, "escalations": 1, "skipped": 1}'
    assert json.loads(second) == {"sent": 0, "escalations": 0, "skipped": 1}
    assert len(outbox) == 2


def test_today_chooses_the_day_and_the_log_keeps_it(
    mandatory_course, division, reminder_days, outbox
):
    staff("learner", due_in=10, division=division)
    day = today() + days(3)

    assert json.loads(run("--json", "--today", day.isoformat()))["sent"] == 1
    assert ReminderMail.objects.get().day == day


def test_a_malformed_day_is_refused_with_status_2(db):
    with pytest.raises(CommandError) as refused:
        run("--today", "2026-13-01")

    assert refused.value.returncode == 2


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_a_day_outside_any_plausible_range_is_refused_with_status_2(db, day):
    # 9999-12-31 plus the reminder days overflowed into a traceback.
    with pytest.raises(CommandError, match="2000-01-01") as refused:
        run("--dry-run", "--today", day)

    assert refused.value.returncode == 2


def test_a_dry_run_says_so_and_sends_nothing(
    mandatory_course, division, reminder_days, outbox
):
    staff("late", due_in=-20, division=division)

    output = run("--dry-run")

    assert "試行のみ" in output
    assert "2 通を送信しました（うち課室長への報告 1 通）" in output
    assert outbox == []
    assert not ReminderMail.objects.exists()


def test_the_summary_names_why_people_were_skipped(
    mandatory_course, division, reminder_days, outbox
):
    staff("gone", due_in=-3, division=division, active=False)
    staff("no-address", due_in=-3, division=division, email=False)

    output = run()

    assert "送信しなかった宛先：2 人" in output
    assert "無効なアカウント 1" in output
    assert "メールアドレスなし 1" in output


def test_mail_printed_by_the_console_backend_stays_off_the_json(
    mandatory_course, division, reminder_days, settings, capsys
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    staff("learner", due_in=-3, division=division)

    output = run("--json")

    assert json.loads(output) == {"sent": 1, "escalations": 0, "skipped": 0}
    assert "Subject:" in capsys.readouterr().err
