"""Admin wiring for reminders: the sent-reminders log for training admins."""

from __future__ import annotations

from wagtail import hooks

from .views_admin import reminder_mail_viewset


@hooks.register("register_admin_viewset")
def register_reminder_log():
    return reminder_mail_viewset
