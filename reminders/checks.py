"""Settings checks: the reminder and escalation days must be whole days."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register

# (setting, smallest value allowed)
DAY_SETTINGS = [
    ("GOFUN_REMINDER_DAYS_BEFORE", 0),
    ("GOFUN_ESCALATION_DAYS_OVERDUE", 1),
]


@register(Tags.compatibility)
def check_reminder_settings(app_configs, **kwargs):
    errors = []
    for name, least in DAY_SETTINGS:
        value = getattr(settings, name, None)
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            errors.append(
                Error(
                    f"{name} must be a whole number of days, {least} or more "
                    f"(it is {value!r}).",
                    id="reminders.E001",
                )
            )
    return errors
