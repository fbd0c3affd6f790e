"""Import a PowerPoint file as a draft lesson under a series."""

from __future__ import annotations

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from learning_series.models import SeriesPage
from learning_series.pptx.reader import PptxReadFailed
from learning_series.pptx.safety import PptxRefused
from learning_series.pptx.services import PptxStorageFailed, lesson_import_pptx

# A refused file or bad argument is the caller's to fix, as with argparse.
REFUSED = 2


class Command(BaseCommand):
    help = "Import a .pptx file as a draft lesson (never published) under a series."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the .pptx file")
        parser.add_argument("--series", required=True, help="slug of the series")
        parser.add_argument(
            "--owner", required=True, help="username of the lesson's owner"
        )
        parser.add_argument(
            "--json",
            action="store_true",
            dest="as_json",
            help="print one JSON object: lesson id, slide count and warnings",
        )

    def handle(
        self, *args, path: str, series: str, owner: str, as_json: bool, **options
    ):
        target = SeriesPage.objects.filter(slug=series).first()
        if target is None:
            raise CommandError(
                _("No series has the slug “%(slug)s”.") % {"slug": series},
                returncode=REFUSED,
            )
        user = get_user_model().objects.filter(username=owner, is_active=True).first()
        if user is None:
            raise CommandError(
                _("No active user is called “%(username)s”.") % {"username": owner},
                returncode=REFUSED,
            )
        file_path = Path(path)
        try:
            file = file_path.open("rb")
        except OSError as error:
            raise CommandError(
                _("The file %(path)s cannot be read.") % {"path": path},
                returncode=REFUSED,
            ) from error
        try:
            with file:
                result = lesson_import_pptx(
                    series=target, file=file, owner=user, filename=file_path.name
                )
        except (PptxRefused, PermissionDenied) as error:
            raise CommandError(str(error), returncode=REFUSED) from error
        except (PptxReadFailed, PptxStorageFailed) as error:
            raise CommandError(str(error), returncode=1) from error
        if as_json:
            self._print_json(result)
            return
        self.stdout.write(
            _("Created draft lesson %(id)d “%(title)s” with %(count)d slides.")
            % {
                "id": result.lesson.pk,
                "title": result.lesson.title,
                "count": result.slide_count,
            }
        )
        for warning in result.warnings:
            self.stderr.write(warning)

    def _print_json(self, result) -> None:
        self.stdout.write(
            json.dumps(
                {
                    "lesson_id": result.lesson.pk,
                    "slides": result.slide_count,
                    "warnings": result.warnings,
                },
                ensure_ascii=False,
            )
        )
