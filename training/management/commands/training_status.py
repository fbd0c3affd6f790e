"""`manage.py training_status USERNAME [--json]`: what a person owes."""

from __future__ import annotations

import datetime
import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from training.management.options import REFUSED, day_option
from training.requirements.selectors import Status, person_training


def _iso(value) -> str | None:
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return value.isoformat() if value is not None else None


class Command(BaseCommand):
    help = (
        "Show a person's training: each required item with its status, due "
        "date and completion, then their skill certifications. --json prints a "
        "list of objects (item, kind, curriculum, status, status_label, due, "
        "completed_at, waived_on, days_overdue, period). Exit status 2 for an "
        "unknown user."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--json", action="store_true")
        parser.add_argument("--today", metavar="YYYY-MM-DD")

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(
                _("There is no user “%s”.") % options["username"], returncode=REFUSED
            )
        today = day_option(options["today"])
        training = person_training(user=user, today=today)
        items = [self._item(state, today) for state in training.current]
        if options["json"]:
            self.stdout.write(json.dumps(items, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            _("Training of %(name)s (%(username)s)")
            % {"name": user.get_full_name() or user.username, "username": user.username}
        )
        if not items:
            self.stdout.write(_("No training is required."))
        for item in items:
            line = f"  [{item['status_label']}] {item['item']} ({item['curriculum']})"
            line += " " + _("due %s") % item["due"]
            if item["completed_at"]:
                line += " " + _("completed %s") % item["completed_at"][:10]
            self.stdout.write(line)
        for certification in training.certifications:
            text = _("Certified for %(role)s on %(day)s") % {
                "role": certification.role,
                "day": certification.certified_on.isoformat(),
            }
            if certification.valid_until:
                text += " " + _("(valid until %s)") % _iso(certification.valid_until)
            self.stdout.write("  " + text)

    def _item(self, state, today) -> dict:
        requirement = state.requirement
        completed = waived = None
        if state.status == Status.COMPLETED:
            completed = state.completed_at or state.completed_on
        elif state.status == Status.WAIVED:
            waived = state.completed_on
        return {
            "item": str(getattr(requirement.target, "title", requirement.target)),
            "kind": requirement.target_kind,
            "curriculum": requirement.curriculum.name,
            "status": state.status,
            "status_label": state.status_label,
            "due": _iso(requirement.due_on),
            "completed_at": _iso(completed),
            "waived_on": _iso(waived),
            "days_overdue": state.days_overdue(today or timezone.localdate()),
            "period": requirement.period,
        }
