"""The reminder settings are checked when the site starts."""

import pytest

from reminders.checks import check_reminder_settings


def test_the_default_days_pass(settings):
    assert check_reminder_settings(None) == []


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("GOFUN_REMINDER_DAYS_BEFORE", -1),
        ("GOFUN_REMINDER_DAYS_BEFORE", "7"),
        ("GOFUN_ESCALATION_DAYS_OVERDUE", 0),
        ("GOFUN_ESCALATION_DAYS_OVERDUE", None),
    ],
)
def test_days_that_are_not_whole_days_are_refused(settings, name, value):
    setattr(settings, name, value)

    [error] = check_reminder_settings(None)

    assert error.id == "reminders.E001"
    assert name in error.msg
