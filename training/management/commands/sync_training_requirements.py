"""`manage.py sync_training_requirements`: the daily sync of requirements."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from training.management.options import day_option
from training.requirements.services import requirements_sync


class Command(BaseCommand):
    help = (
        "Bring everyone's training requirements in line with the published "
        "curricula, their roles and joining dates, and the day: create what is "
        "newly owed, lapse what is not (records are kept), re-open recurring "
        "items in a new fiscal year. Idempotent; run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            metavar="YYYY-MM-DD",
            help="Sync as on this day, today or later (default: today).",
        )

    def handle(self, *args, **options):
        today = day_option(options["today"], not_before_today=True)
        result = requirements_sync(today=today)
        self.stdout.write(
            _(
                "Requirements of %(people)d people: %(created)d created, "
                "%(updated)d updated, %(lapsed)d lapsed."
            )
            % {
                "people": result.people,
                "created": result.created,
                "updated": result.updated,
                "lapsed": result.lapsed,
            }
        )
