"""`manage.py send_training_reminders [--today YYYY-MM-DD] [--dry-run] [--json]`."""

from __future__ import annotations

import contextlib
import json
import sys

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from reminders.selectors import Skip
from reminders.services import training_reminders_send
from training.management.options import day_option


def skip_labels() -> dict[str, str]:
    return {
        Skip.INACTIVE: _("inactive account"),
        Skip.NO_ADDRESS: _("no e-mail address"),
        Skip.ALREADY_SENT: _("already mailed today"),
        Skip.FAILED: _("sending failed, retried on the next run"),
    }


class Command(BaseCommand):
    help = (
        "Send today's training reminders (N days before an item is due, on the "
        "day, then weekly while overdue) and escalations to division managers "
        "(items M days overdue), one mail per person per day at most. Safe to "
        "run again: the sent-reminders log decides. --json prints "
        '{"sent": n, "escalations": n, "skipped": n}: mails sent, those of them '
        "reporting to a manager, and people due a mail who got none from this "
        "run (inactive account, no e-mail address, already mailed today, or a "
        "failed send retried next time)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            metavar="YYYY-MM-DD",
            help="The day to send for (default: today).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Count what would be sent; send and record nothing.",
        )
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        today = day_option(options["today"])
        # Standard output is for the summary (exactly the JSON with --json):
        # a mail backend that writes there (Django's console backend, in
        # development) writes to standard error instead.
        with contextlib.redirect_stdout(sys.stderr):
            run = training_reminders_send(today=today, dry_run=options["dry_run"])
        if options["json"]:
            self.stdout.write(json.dumps(run.as_json()))
            return
        if run.dry_run:
            self.stdout.write(_("Dry run: nothing was sent or recorded."))
        self.stdout.write(
            _("%(day)s: %(sent)s mails sent, %(escalations)s of them to managers.")
            % {
                "day": run.today.isoformat(),
                "sent": run.sent,
                "escalations": run.escalations,
            }
        )
        labels = skip_labels()
        reasons = "; ".join(
            f"{labels[reason]} {count}"
            for reason, count in sorted(run.skipped_by_reason.items())
        )
        self.stdout.write(
            _("Skipped: %(skipped)s people") % {"skipped": run.skipped}
            + (f" ({reasons})" if reasons else "")
        )
