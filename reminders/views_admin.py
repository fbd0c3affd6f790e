"""The sent-reminders log in the admin, read-only, for training admins: what
went to whom on which day about which requirements, and what failed."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.generic.models import InspectView
from wagtail.permission_policies import ModelPermissionPolicy

from cms.viewsets import ReadOnlyModelViewSet
from training.permissions import may_see_people

from .models import ReminderItem, ReminderMail


class ReminderLogPermissionPolicy(ModelPermissionPolicy):
    """Those who see people's training (training admins) read the log; it
    names people and their overdue items. Nobody edits it here."""

    def user_has_permission(self, user, action):
        return action == "view" and may_see_people(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class ReminderMailInspectView(InspectView):
    def get_field_label(self, field_name, field):
        if field_name == "named":
            return gettext("Requirements named")
        return super().get_field_label(field_name, field)

    def get_named_display_value(self):
        items = ReminderItem.objects.filter(mail=self.object).select_related(
            "requirement__user",
            "requirement__series",
            "requirement__lesson",
            "requirement__external_training",
        )
        return "\n".join(
            gettext("%(kind)s: %(person)s, %(item)s (due %(due)s)")
            % {
                "kind": item.get_kind_display(),
                "person": item.requirement.user.get_full_name()
                or item.requirement.user.get_username(),
                "item": item.requirement.target,
                "due": item.due_on.isoformat(),
            }
            for item in items
        )


class ReminderMailViewSet(ReadOnlyModelViewSet):
    model = ReminderMail
    icon = "mail"
    menu_label = _("Reminder mails")
    add_to_admin_menu = False
    inspect_view_enabled = True
    inspect_view_class = ReminderMailInspectView
    copy_view_enabled = False
    list_display = ["day", "recipient", "address", "state", "attempts", "sent_at"]
    list_filter = ["state", "day"]
    inspect_view_fields = [
        "day",
        "recipient",
        "address",
        "subject",
        "state",
        "attempts",
        "claimed_at",
        "sent_at",
        "message_id",
        "error",
        "named",
    ]

    @property
    def permission_policy(self):
        return ReminderLogPermissionPolicy(self.model)


reminder_mail_viewset = ReminderMailViewSet("reminder_mails")
