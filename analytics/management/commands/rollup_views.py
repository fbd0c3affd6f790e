"""Roll up view events into daily figures, and purge raw events past retention.

Run it nightly (cron or a systemd timer):

    python manage.py rollup_views

rolls up every day not yet (or not completely) rolled up, and today so far,
then deletes raw view events older than GOFUN_VIEW_RETENTION_MONTHS, in this
process (the same tasks the dashboard queues for the worker). Days can
be rolled up again at any time (after a correction in the ledger):

    python manage.py rollup_views --since 2025-04-01 --until 2025-04-30
"""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from analytics.forms import EARLIEST_DAY, LATEST_DAY
from analytics.rollups import days_between
from analytics.tasks import (
    rollup_days_task,
    rollups_catch_up_task,
    view_events_purge_task,
)


def _day(value: str) -> datetime.date:
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(
            _("“%s” is not a date: write it as YYYY-MM-DD.") % value, returncode=2
        ) from error
    # The dashboard's range (and needs_report's): beyond it is a typing
    # mistake, and near the ends of the calendar the day arithmetic overflows.
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise CommandError(
            _("Choose dates from %(earliest)s to %(latest)s.")
            % {"earliest": EARLIEST_DAY, "latest": LATEST_DAY},
            returncode=2,
        )
    return day


class Command(BaseCommand):
    help = "Roll up view events into daily figures and purge old raw events."

    def add_arguments(self, parser):
        parser.add_argument("--since", help="first day to roll up again, YYYY-MM-DD")
        parser.add_argument("--until", help="last day to roll up again, YYYY-MM-DD")
        parser.add_argument(
            "--no-purge",
            action="store_true",
            help="keep raw events past the retention period",
        )

    def handle(self, *args, since=None, until=None, no_purge=False, **options):
        def rolled_up(outcome: dict) -> str:
            text = f"Rolled up {len(outcome['days'])} days ({outcome['views']} views)."
            if outcome.get("kept"):
                text += (
                    f" Kept {len(outcome['kept'])} days whose raw events are purged."
                )
            return text

        if since or until:
            first = _day(since or until)
            last = _day(until or since)
            if first > last:
                raise CommandError(_("--since is after --until."), returncode=2)
            if (last - first).days > 3660:
                raise CommandError(
                    _("Roll up at most ten years at once."), returncode=2
                )
            days = [day.isoformat() for day in days_between(first, last)]
            self.stdout.write(rolled_up(rollup_days_task.call(days)))
        else:
            self.stdout.write(rolled_up(rollups_catch_up_task.call()))
        if not no_purge:
            outcome = view_events_purge_task.call()
            self.stdout.write(
                f"Purged {outcome['deleted']} view events from before "
                f"{outcome['before']}."
            )
