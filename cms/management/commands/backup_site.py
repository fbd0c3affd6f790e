from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cms.backup import BackupError, site_backup


class Command(BaseCommand):
    help = (
        "Back up the database (a consistent snapshot) and the uploaded media "
        "into a new folder, with a manifest of hashes and checks."
    )

    def add_arguments(self, parser):
        parser.add_argument("destination", type=Path, help="A new or empty folder.")

    def handle(self, *args, destination: Path, **options):
        try:
            manifest = site_backup(destination=destination)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _("Backed up to %(folder)s: %(files)s")
            % {"folder": destination, "files": ", ".join(sorted(manifest.files))}
        )
        for name, figures in sorted(manifest.checks.items()):
            self.stdout.write(f"  {name}: {figures}")
