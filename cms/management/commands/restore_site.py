import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cms.backup import BackupError, site_restore


class Command(BaseCommand):
    help = (
        "Restore a backup folder made by backup_site into this site's empty "
        "database and media folder, then check it against the manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="The backup folder.")
        parser.add_argument(
            "--json", action="store_true", help="Print the checks as JSON."
        )

    def handle(self, *args, source: Path, **options):
        try:
            report = site_restore(source=source)
        except BackupError as error:
            raise CommandError(str(error)) from error
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "verified": report.verified,
                        "checks": report.checks,
                        "expected": report.manifest.checks,
                        "media_files": report.media_files,
                    },
                    ensure_ascii=False,
                )
            )
        if not report.verified:
            raise CommandError(
                _("The restored database does not match the backup's checks.")
            )
        if not options["json"]:
            self.stdout.write(
                _("Restored %(files)d media files; checks match the backup.")
                % {"files": report.media_files}
            )
