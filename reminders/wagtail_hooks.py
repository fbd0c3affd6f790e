"""Admin wiring for reminders: the sent-reminders log, under 研修管理 for
training admins."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from training.extension_points import TRAINING_MENU_ITEMS
from training.permissions import may_see_people

from .views_admin import reminder_mail_viewset


@hooks.register("register_admin_viewset")
def register_reminder_log():
    return reminder_mail_viewset


class _ReminderLogMenuItem(MenuItem):
    def is_shown(self, request):
        return may_see_people(request.user)


@hooks.register(TRAINING_MENU_ITEMS)
def register_reminder_log_menu_item():
    return _ReminderLogMenuItem(
        _("Reminder mails"),
        reverse("reminder_mails:index"),
        name="reminder-mails",
        icon_name="mail",
        order=1100,
    )
