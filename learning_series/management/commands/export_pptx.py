"""Write a lesson's latest revision to a .pptx file."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from learning_series.models import LessonPage
from learning_series.pptx.services import lesson_export_pptx

REFUSED = 2


class Command(BaseCommand):
    help = "Export a lesson (its latest revision) as a PowerPoint file."

    def add_arguments(self, parser):
        parser.add_argument("lesson_id", type=int, help="the lesson's page id")
        parser.add_argument("output", help="where to write the .pptx file")

    def handle(self, *args, lesson_id: int, output: str, **options):
        lesson = LessonPage.objects.filter(pk=lesson_id).first()
        if lesson is None:
            raise CommandError(
                _("No lesson has the id %(id)d.") % {"id": lesson_id},
                returncode=REFUSED,
            )
        data = lesson_export_pptx(lesson=lesson)
        try:
            Path(output).write_bytes(data)
        except OSError as error:
            raise CommandError(
                _("The file %(path)s cannot be written.") % {"path": output},
                returncode=REFUSED,
            ) from error
        self.stdout.write(
            _("Wrote %(path)s (%(count)d slides).")
            % {
                "path": output,
                "count": len(lesson.get_latest_revision_as_object().slides),
            }
        )
