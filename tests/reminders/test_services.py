"""Sending reminders: one Japanese mail per person and day, logged; a second
run sends nothing; a failed send is sent on the next run, once."""

import datetime
from concurrent.futures import ThreadPoolExecutor
from email.utils import parseaddr

import pytest
from django.core.cache import cache
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from reminders.models import ReminderItem, ReminderMail
from reminders.selectors import Skip, reminders_due
from reminders.services import reminder_mail_claim, training_reminders_send
from tests.factories import DivisionFactory, UserFactory
from tests.training.conftest import (
    after_joining,
    days,
    make_curriculum,
    person,
    sync,
    today,
)
from training.models import ExternalTraining, Requirement

from .conftest import (
    FAILING,
    FAILING_FIRST,
    FailingFirstBackend,
    requirement_of,
    staff,
)

pytestmark = pytest.mark.django_db


def send(**kwargs):
    return training_reminders_send(today=today(), **kwargs)


def text_of(message) -> str:
    return message.body


def html_of(message) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


def test_a_reminder_is_a_japanese_digest_with_items_and_the_link(
    mandatory_course, division, reminder_days, outbox, settings
):
    settings.WAGTAILADMIN_BASE_URL = "https://gofun.intra.example.go.jp"
    settings.DEFAULT_FROM_EMAIL = "gofun@intra.example.go.jp"
    learner = staff("learner", due_in=-3, division=division, name="一般 一郎")

    run = send()

    assert run.as_json() == {"sent": 1, "escalations": 0, "skipped": 0}
    [message] = outbox
    assert message.to == [learner.email]
    assert parseaddr(message.from_email)[1] == "gofun@intra.example.go.jp"
    assert message.subject == "【Gofun】受講が必要な研修があります（1件）"
    due = (today() - days(3)).isoformat()
    for part in (text_of(message), html_of(message)):
        assert "一般 一郎 様" in part
        assert "情報セキュリティの基本ルール" in part
        assert f"期限 {due}・期限超過（3日超過）" in part
        assert "https://gofun.intra.example.go.jp/#my-training-heading" in part
    assert '<html lang="ja">' in html_of(message)
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"


def test_running_twice_the_same_day_sends_nothing_the_second_time(
    mandatory_course, division, reminder_days, outbox
):
    staff("learner", due_in=0, division=division)
    staff("late", due_in=-20, division=division)

    first = send()
    second = send()

    assert first.as_json() == {"sent": 3, "escalations": 1, "skipped": 0}
    assert second.as_json() == {"sent": 0, "escalations": 0, "skipped": 0}
    assert len(outbox) == 3


def test_the_log_records_what_was_sent_to_whom_for_which_items(
    mandatory_course, division, manager, reminder_days, outbox
):
    late = staff("late", due_in=-20, division=division)

    send()

    mails = {row.recipient: row for row in ReminderMail.objects.all()}
    assert set(mails) == {late, manager}
    assert all(row.state == ReminderMail.State.SENT for row in mails.values())
    assert all(row.day == today() for row in mails.values())
    assert mails[late].address == late.email
    assert mails[late].subject == "【Gofun】受講が必要な研修があります（1件）"
    assert mails[late].message_id in {
        message.extra_headers["Message-ID"] for message in outbox
    }
    assert list(
        ReminderItem.objects.filter(mail=mails[late]).values_list("kind", "requirement")
    ) == [(ReminderItem.Kind.REMINDER, requirement_of(late).pk)]
    assert list(
        ReminderItem.objects.filter(mail=mails[manager]).values_list(
            "kind", "requirement", "first_escalation"
        )
    ) == [(ReminderItem.Kind.ESCALATION, requirement_of(late).pk, True)]


def test_one_mail_a_day_holds_a_manager_s_own_items_and_the_digest(
    mandatory_course, reminder_days, outbox
):
    manager = UserFactory(username="kacho", first_name="会計 課長")
    division = DivisionFactory(code="accounting", name="会計課", manager=manager)
    staff("late", due_in=-30, division=division, name="遅延 太郎")
    person("kacho", division=division)
    sync(user_ids=[manager.pk])
    Requirement.objects.filter(user=manager).update(due_on=today() - days(1))

    run = send()

    assert run.as_json() == {"sent": 2, "escalations": 1, "skipped": 0}
    [to_manager] = [message for message in outbox if message.to == [manager.email]]
    assert to_manager.subject == (
        "【Gofun】受講が必要な研修（1件）と課室の期限超過の研修（1件）"
    )
    body = text_of(to_manager)
    assert "会計 課長 様" in body
    assert "会計課 の課室長として" in body
    assert "遅延 太郎（職員番号" in body
    assert "［新規］" in body
    assert ReminderMail.objects.filter(recipient=manager).count() == 1


def test_an_escalated_item_is_not_escalated_again(
    mandatory_course, division, manager, reminder_days, outbox
):
    staff("late", due_in=-20, division=division)
    send()
    outbox.clear()

    run = training_reminders_send(today=today() + days(7))

    assert run.escalations == 0
    assert [message.to for message in outbox] == [["late@example.go.jp"]]


def test_overdue_items_are_reminded_weekly_in_one_rhythm(
    mandatory_course, division, reminder_days, outbox, settings
):
    settings.GOFUN_ESCALATION_DAYS_OVERDUE = 100
    staff("late", due_in=-1, division=division)
    sent_on = []
    for offset in range(0, 16):
        day = today() + days(offset)
        if training_reminders_send(today=day).sent:
            sent_on.append(offset)

    assert sent_on == [0, 7, 14]


def test_items_due_on_different_days_are_reminded_together_weekly(
    security_course, division, reminder_days, outbox, settings
):
    settings.GOFUN_ESCALATION_DAYS_OVERDUE = 100
    drill = ExternalTraining.objects.create(
        name="標的型メール訓練", code="drill", kind="drill"
    )
    make_curriculum(
        items=[
            {"series": security_course, **after_joining(30)},
            {"external_training": drill, **after_joining(60)},
        ]
    )
    learner = person("learner", division=division)
    sync(user_ids=[learner.pk])
    Requirement.objects.filter(user=learner, series=security_course).update(
        due_on=today() - days(1)
    )
    Requirement.objects.filter(user=learner, external_training=drill).update(
        due_on=today() + days(3)
    )
    sent_on = [
        offset
        for offset in range(0, 16)
        if training_reminders_send(today=today() + days(offset)).sent
    ]

    # Both in the first mail; the drill again on its day, then one rhythm.
    assert sent_on == [0, 3, 10]
    assert [message.body.count("\n・") for message in outbox] == [2, 2, 2]


def test_inactive_people_and_people_without_an_address_are_skipped(
    mandatory_course, division, reminder_days, outbox
):
    staff("gone", due_in=-3, division=division, active=False)
    staff("no-address", due_in=-3, division=division, email=False)

    run = send()

    assert run.as_json() == {"sent": 0, "escalations": 0, "skipped": 2}
    assert run.skipped_by_reason == {Skip.INACTIVE: 1, Skip.NO_ADDRESS: 1}
    assert outbox == []
    assert not ReminderMail.objects.exists()


def test_a_dry_run_sends_and_records_nothing(
    mandatory_course, division, reminder_days, outbox
):
    staff("late", due_in=-20, division=division)

    run = send(dry_run=True)

    assert run.as_json() == {"sent": 2, "escalations": 1, "skipped": 0}
    assert outbox == []
    assert not ReminderMail.objects.exists()


def test_a_failed_send_is_sent_on_the_next_run_once(
    mandatory_course, division, reminder_days, outbox, settings
):
    learner = staff("learner", due_in=-3, division=division)
    settings.EMAIL_BACKEND = FAILING

    failed = send()

    assert failed.as_json() == {"sent": 0, "escalations": 0, "skipped": 1}
    assert failed.skipped_by_reason == {Skip.FAILED: 1}
    row = ReminderMail.objects.get(recipient=learner)
    assert row.state == ReminderMail.State.FAILED
    assert "SMTPException" in row.error
    assert outbox == []

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    retried = send()
    again = send()

    assert retried.sent == 1
    assert again.sent == 0
    assert [message.to for message in outbox] == [[learner.email]]
    row.refresh_from_db()
    assert (row.state, row.attempts, row.error) == (ReminderMail.State.SENT, 2, "")


def test_a_backend_failing_on_the_first_run_leads_to_each_mail_sent_once(
    mandatory_course, division, manager, reminder_days, outbox, settings
):
    staff("one", due_in=-20, division=division)
    staff("two", due_in=0, division=division)
    settings.EMAIL_BACKEND = FAILING_FIRST
    FailingFirstBackend.failures = 2

    first = send()
    second = send()
    third = send()

    assert first.sent + second.sent == 3
    assert first.skipped_by_reason == {Skip.FAILED: 2}
    assert third.sent == 0
    recipients = sorted(message.to[0] for message in outbox)
    assert recipients == sorted(
        ["one@example.go.jp", "two@example.go.jp", manager.email]
    )


def test_a_failed_mail_of_an_earlier_day_is_caught_up_the_next_day(
    mandatory_course, division, reminder_days, outbox, settings
):
    learner = staff("learner", due_in=-3, division=division)
    settings.EMAIL_BACKEND = FAILING
    send()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    run = training_reminders_send(today=today() + days(1))

    assert run.sent == 1
    assert [message.to for message in outbox] == [[learner.email]]


def test_a_mail_left_sending_by_a_crash_is_not_sent_again_that_day(
    mandatory_course, division, reminder_days, outbox
):
    learner = staff("learner", due_in=-3, division=division)
    [digest] = reminders_due(today=today()).digests
    # A run claimed it and died before the log said "sent".
    claimed = reminder_mail_claim(digest=digest, day=today(), subject="…")

    same_day = send()
    next_day = training_reminders_send(today=today() + days(1))

    assert same_day.as_json() == {"sent": 0, "escalations": 0, "skipped": 1}
    assert same_day.skipped_by_reason == {Skip.ALREADY_SENT: 1}
    assert next_day.sent == 1
    assert [message.to for message in outbox] == [[learner.email]]
    claimed.refresh_from_db()
    assert claimed.state == ReminderMail.State.SENDING


def test_only_one_of_two_runs_claims_a_person_s_mail(
    mandatory_course, division, reminder_days
):
    staff("learner", due_in=-3, division=division)
    [digest] = reminders_due(today=today()).digests

    first = reminder_mail_claim(digest=digest, day=today(), subject="a")
    second = reminder_mail_claim(digest=digest, day=today(), subject="b")

    assert first is not None
    assert second is None
    assert ReminderMail.objects.count() == 1


def test_every_attempt_at_one_mail_carries_the_same_message_id(
    mandatory_course, division, reminder_days, outbox, settings
):
    staff("learner", due_in=-3, division=division)
    settings.EMAIL_BACKEND = FAILING
    send()
    first_id = ReminderMail.objects.get().message_id

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    send()

    assert outbox[0].extra_headers["Message-ID"] == first_id
    assert first_id.startswith("<gofun-reminder-")


def test_the_plan_takes_a_fixed_number_of_queries(
    mandatory_course, division, reminder_days
):
    staff("one", due_in=-20, division=division)

    cache.clear()  # what is the same for everyone is cached: count cold reads
    with CaptureQueriesContext(connection) as few:
        reminders_due(today=today())
    for number in range(2, 12):
        staff(f"more{number}", due_in=-20 - number, division=division)
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        plan = reminders_due(today=today())

    assert len(plan.digests) == 12
    assert len(many) == len(few)


def test_a_requirement_not_yet_owed_is_not_reminded(
    mandatory_course, division, reminder_days, outbox
):
    learner = staff("learner", due_in=3, division=division)
    Requirement.objects.filter(user=learner).update(
        started_on=today() + datetime.timedelta(days=1)
    )

    assert send().sent == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_runs_at_once_send_each_mail_once(
    mandatory_course, division, manager, reminder_days, outbox
):
    for number in range(6):
        staff(f"late{number}", due_in=-20 - number, division=division)

    def one_run():
        try:
            return send().sent
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=2) as pool:
        sent = list(pool.map(lambda _: one_run(), range(2)))

    assert sum(sent) == 7
    addresses = [message.to[0] for message in outbox]
    assert len(addresses) == len(set(addresses)) == 7
    assert ReminderMail.objects.filter(state=ReminderMail.State.SENT).count() == 7
