"""Send the ledger to HR's Learning Record Store now, or say how far it got:

    python manage.py lrs_push                  # queue and send everything due, now
    python manage.py lrs_push --status [--json]
    python manage.py lrs_push --retry-rejected # send refused statements again

The background task does the same on every new record; this is for an
operator who will not wait for the back-off, or wants to see the outbox.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hr_export.lrs import lrs_configured
from hr_export.selectors import lrs_outbox_rejected, lrs_outbox_status
from hr_export.services import lrs_outbox_retry_rejected, lrs_push


class Command(BaseCommand):
    help = "Send completion records to the LRS now, or show the outbox."

    def add_arguments(self, parser):
        parser.add_argument("--status", action="store_true", help="show the outbox")
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="print JSON"
        )
        parser.add_argument(
            "--retry-rejected",
            action="store_true",
            help="queue the statements the LRS refused again, then send",
        )

    def handle(self, *args, status, as_json, retry_rejected, **options):
        if status:
            return self._status(as_json=as_json)
        if not lrs_configured():
            raise CommandError(_("No LRS is configured: set GOFUN_LRS_URL."))
        if retry_rejected:
            count = lrs_outbox_retry_rejected()
            self.stderr.write(
                ngettext(
                    "%d refused statement queued again.",
                    "%d refused statements queued again.",
                    count,
                )
                % count
            )
        report = lrs_push(ignore_backoff=True)
        if as_json:
            self.stdout.write(_json(report.as_dict()))
        else:
            self.stdout.write(
                _("Queued %(queued)d, sent %(sent)d, refused %(rejected)d.")
                % report.as_dict()
            )
        if report.unavailable:
            raise CommandError(
                _("The LRS is unavailable (%(error)s); the rest waits until %(at)s.")
                % {"error": report.unavailable, "at": report.retry_at.isoformat()}
            )

    def _status(self, *, as_json: bool) -> None:
        status = lrs_outbox_status()
        rejected = [
            {
                "record": entry.record_id,
                "statement": str(entry.statement_id),
                "status_code": entry.last_status_code,
                "error": entry.last_error,
            }
            for entry in lrs_outbox_rejected()
        ]
        if as_json:
            self.stdout.write(
                _json(
                    {
                        "configured": lrs_configured(),
                        **status.as_dict(),
                        "refused": rejected,
                    }
                )
            )
            return
        if not lrs_configured():
            self.stdout.write(_("No LRS is configured (GOFUN_LRS_URL)."))
        lines = [
            (_("Sent"), status.sent),
            (_("Waiting to be sent"), status.pending),
            (_("Not queued yet"), status.not_yet_queued),
            (_("Refused by the LRS"), status.rejected),
            (_("Waiting for a staff number"), status.waiting_for_staff_number),
        ]
        for label, count in lines:
            self.stdout.write(f"{label}: {count}")
        if status.oldest_pending_at:
            self.stdout.write(
                _("Oldest waiting since: %s") % status.oldest_pending_at.isoformat()
            )
        if status.last_error:
            self.stdout.write(_("Last error: %s") % status.last_error)
        for row in rejected:
            self.stdout.write(
                _("Refused: record %(record)s (HTTP %(status_code)s): %(error)s") % row
            )


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
