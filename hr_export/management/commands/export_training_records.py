"""Export the completion ledger for HR:

    python manage.py export_training_records --format csv|xlsx|xapi \
        [--since YYYY-MM-DD] [--output PATH]

Without --output the file goes to standard output (not XLSX, which is
binary); warnings and the summary go to standard error.
"""

from __future__ import annotations

import argparse
import datetime
import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hr_export.exports import FORMATS, XLSX
from hr_export.services import training_records_export


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("“%s” is not a date: use YYYY-MM-DD.") % value
        ) from None


class _TextOutput:
    """A binary file's write() onto the command's text stdout."""

    def __init__(self, stdout):
        self.stdout = stdout

    def write(self, data: bytes) -> None:
        self.stdout.write(data.decode("utf-8"), ending="")


class Command(BaseCommand):
    help = "Export the completion ledger for HR as CSV, XLSX or xAPI statements."

    def add_arguments(self, parser):
        parser.add_argument(
            "--format", required=True, choices=FORMATS, dest="export_format"
        )
        parser.add_argument(
            "--since",
            type=_day,
            help="only records from this day on (YYYY-MM-DD, the site's time zone)",
        )
        parser.add_argument(
            "--output", help="the file to write (default: standard output)"
        )

    def handle(self, *args, export_format, since, output, **options):
        if output:
            summary = self._to_file(Path(output), export_format, since)
        elif export_format == XLSX:
            raise CommandError(_("XLSX is a binary file: give --output PATH."))
        else:
            summary = training_records_export(
                export_format=export_format,
                output=_TextOutput(self.stdout),
                since=since,
            )
        for record_id, username, reason in summary.skipped:
            self.stderr.write(
                _("Record %(record)s of %(user)s left out: %(reason)s")
                % {"record": record_id, "user": username, "reason": reason}
            )
        self.stderr.write(
            ngettext(
                "%(count)d record exported.",
                "%(count)d records exported.",
                summary.rows,
            )
            % {"count": summary.rows}
        )

    def _to_file(self, path: Path, export_format, since):
        # Written beside the target and renamed into place: a failed export
        # never leaves half a file where HR expects a whole one. A symbolic
        # link is followed, so the file it names is the one replaced.
        if path.is_dir():
            raise CommandError(_("%s is a directory: name a file.") % path)
        path = path.resolve()
        if path.exists() and not path.is_file():
            # The rename would replace a device, pipe or socket (/dev/stdout,
            # say) instead of writing to it.
            raise CommandError(_("%s is not a regular file: name a file.") % path)
        directory = path.parent
        if not directory.is_dir():
            raise CommandError(_("No such directory: %s") % directory)
        try:
            handle, temporary = tempfile.mkstemp(dir=directory, prefix=".export-")
        except OSError as error:
            raise CommandError(
                _("Cannot write to %(dir)s: %(error)s")
                % {"dir": directory, "error": error.strerror}
            ) from error
        try:
            with os.fdopen(handle, "wb") as file:
                summary = training_records_export(
                    export_format=export_format, output=file, since=since
                )
            os.chmod(temporary, 0o640)
            os.replace(temporary, path)
        except OSError as error:
            Path(temporary).unlink(missing_ok=True)
            raise CommandError(
                _("Cannot write %(path)s: %(error)s")
                % {"path": path, "error": error.strerror}
            ) from error
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return summary
