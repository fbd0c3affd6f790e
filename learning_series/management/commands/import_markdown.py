"""`manage.py import_markdown`: lessons from Marp-style Markdown files."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from learning_series.models import SeriesPage
from learning_series.services import (
    LessonImportError,
    lesson_import_markdown_deck,
)

REFUSED = 2


def _refuse(message: str) -> CommandError:
    # One line, so a script reading stderr gets the whole reason.
    return CommandError(" ".join(str(message).split()), returncode=REFUSED)


class Command(BaseCommand):
    help = (
        "Import lessons from Marp decks (optional front matter, slides split at "
        "rulers such as --- or by headingDivider; HTML comments that are not "
        "directives are speaker notes). Each file becomes a draft lesson in the "
        "series, or a published one with --publish; what cannot come along is "
        "named in warnings. All files are imported or none. Exit status 2 when "
        "refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--series", required=True, metavar="SLUG")
        parser.add_argument("--owner", required=True, metavar="USERNAME")
        parser.add_argument("--publish", action="store_true")

    def handle(self, *args, **options):
        series = self._series(options["series"])
        owner = self._owner(options["owner"])
        sources = []
        for name in options["paths"]:
            path = Path(name)
            try:
                sources.append((path.name, path.read_bytes()))
            except OSError as error:
                raise _refuse(
                    _("%(file)s: cannot read the file (%(reason)s).")
                    % {"file": name, "reason": error.strerror or error}
                ) from error
        try:
            with transaction.atomic():
                imports = [
                    lesson_import_markdown_deck(
                        series=series,
                        owner=owner,
                        source_name=source_name,
                        content=content,
                        publish=options["publish"],
                    )
                    for source_name, content in sources
                ]
        except LessonImportError as error:
            raise _refuse(str(error)) from error
        for (source_name, _content), imported in zip(sources, imports, strict=True):
            lesson = imported.lesson
            state = _("published") if lesson.live else _("draft")
            self.stdout.write(
                _("Imported “%(title)s” (%(slides)d slides, %(state)s): %(path)s")
                % {
                    "title": lesson.title,
                    "slides": lesson.slide_count,
                    "state": state,
                    "path": lesson.url_path,
                }
            )
            for warning in imported.warnings:
                self.stderr.write(
                    self.style.WARNING(
                        _("%(file)s: %(warning)s")
                        % {"file": source_name, "warning": warning}
                    )
                )

    def _series(self, slug: str) -> SeriesPage:
        matches = list(SeriesPage.objects.filter(slug=slug)[:2])
        if not matches:
            raise _refuse(_("There is no series with the slug “%s”.") % slug)
        if len(matches) > 1:
            raise _refuse(_("More than one series has the slug “%s”.") % slug)
        return matches[0]

    def _owner(self, username: str):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise _refuse(_("There is no user “%s”.") % username)
        return user
