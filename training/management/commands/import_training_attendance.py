"""`manage.py import_training_attendance`: record attendance from a CSV."""

from __future__ import annotations

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from training.attendance import (
    MAX_BYTES,
    AttendanceFileError,
    attendance_check,
    attendance_csv_decode,
    attendance_import,
)
from training.models import ExternalTraining
from training.services import TrainingError

REFUSED = 2


def _refuse(message: str) -> CommandError:
    return CommandError(" ".join(str(message).split()), returncode=REFUSED)


class Command(BaseCommand):
    help = (
        "Record attendance at an external training or drill from a CSV of "
        "attendees (columns 職員番号/staff_number, 受講日/completed_on, optional "
        "備考/note). --dry-run lists what would be recorded and every row refused "
        "and why, recording nothing. Rows that are refused are never recorded; "
        "the exit status is 2 when any row (or the file) is refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", metavar="CSV")
        parser.add_argument("--training", required=True, metavar="CODE")
        parser.add_argument("--by", required=True, metavar="USERNAME")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        training = ExternalTraining.objects.filter(code=options["training"]).first()
        if training is None:
            raise _refuse(
                _("There is no external training or drill with the code “%s”.")
                % options["training"]
            )
        by = get_user_model().objects.filter(username=options["by"]).first()
        if by is None:
            raise _refuse(_("There is no user “%s”.") % options["by"])
        path = Path(options["path"])
        try:
            # One byte past the limit is enough to refuse: a pipe, a device
            # or a huge file named by mistake is never read whole.
            with path.open("rb") as file:
                text = attendance_csv_decode(file.read(MAX_BYTES + 1))
            if options["dry_run"]:
                check = attendance_check(training=training, text=text, by=by)
            else:
                check = attendance_import(
                    training=training, text=text, by=by, source=path.name
                )
        except OSError as error:
            raise _refuse(
                _("%(file)s: cannot read the file (%(reason)s).")
                % {"file": path, "reason": error.strerror or error}
            ) from error
        except (AttendanceFileError, TrainingError) as error:
            raise _refuse(f"{path.name}: {error}") from error
        refused = [
            {
                "line": row.line,
                "staff_number": row.staff_number,
                "name": row.name,
                "reason": row.refusal,
            }
            for row in check.refused
        ]
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "training": training.code,
                        "dry_run": options["dry_run"],
                        "accepted": len(check.accepted),
                        "recorded": check.recorded,
                        "refused": refused,
                    },
                    ensure_ascii=False,
                    indent=2,
                )
            )
        else:
            if options["dry_run"]:
                summary = _(
                    "Dry run for %(training)s: %(accepted)d rows would be recorded, "
                    "%(refused)d refused. Nothing was recorded."
                )
            else:
                summary = _(
                    "%(training)s: %(recorded)d rows recorded, %(refused)d refused."
                )
            self.stdout.write(
                summary
                % {
                    "training": training.name,
                    "accepted": len(check.accepted),
                    "recorded": check.recorded,
                    "refused": len(refused),
                }
            )
            for row in refused:
                self.stdout.write(
                    _("Line %(line)d (%(number)s %(name)s): %(reason)s")
                    % {
                        "line": row["line"],
                        "number": row["staff_number"] or "-",
                        "name": row["name"],
                        "reason": row["reason"],
                    }
                )
        if refused:
            raise CommandError(
                _("%d rows were refused.") % len(refused), returncode=REFUSED
            )
