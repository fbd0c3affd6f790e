"""The sent-reminders log in the admin: training admins read it; nobody
else sees it and nobody edits it."""

import pytest
from django.urls import NoReverseMatch, reverse

from reminders.models import ReminderMail
from reminders.services import training_reminders_send
from tests.training.conftest import today

from .conftest import FAILING, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def log(mandatory_course, division, reminder_days, outbox, settings):
    staff("late", due_in=-20, division=division, name="遅延 太郎")
    training_reminders_send(today=today())
    settings.EMAIL_BACKEND = FAILING
    staff("failing", due_in=-3, division=division, name="失敗 花子")
    training_reminders_send(today=today())
    return ReminderMail.objects.all()


def test_training_admins_read_what_went_to_whom_and_what_failed(
    client, log, training_admin
):
    client.force_login(training_admin)

    listing = client.get(reverse("reminder_mails:index")).content.decode()
    failed = log.get(state=ReminderMail.State.FAILED)
    inspect = client.get(reverse("reminder_mails:inspect", args=[failed.pk]))
    html = inspect.content.decode()

    assert "late@example.go.jp" in listing
    assert "失敗（次回の実行で再送）" in listing
    assert inspect.status_code == 200
    assert "SMTPException" in html
    assert "リマインダー：失敗 花子、情報セキュリティの基本ルール（期限" in html


def test_nobody_else_reads_the_log(client, log, learner, editor):
    for user in (learner, editor):
        client.force_login(user)
        response = client.get(reverse("reminder_mails:index"))
        assert response.status_code in (302, 403)
        assert "late@example.go.jp" not in response.content.decode()


def test_the_log_cannot_be_edited_from_the_admin(log):
    for name in ("add", "edit", "delete"):
        with pytest.raises(NoReverseMatch):
            reverse(f"reminder_mails:{name}", args=[log.first().pk])


def test_the_log_is_under_training_management_for_training_admins_only(
    client, training_admin, editor
):
    client.force_login(training_admin)
    assert reverse("reminder_mails:index") in client.get("/admin/").content.decode()

    client.force_login(editor)
    assert reverse("reminder_mails:index") not in client.get("/admin/").content.decode()
