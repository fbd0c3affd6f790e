"""What the training commands share: reading a day given on the command line."""

from __future__ import annotations

import datetime

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

REFUSED = 2
# Days outside these are typing mistakes (0001 for 2026), and a day near the
# end of the calendar overflows the date arithmetic of due dates and periods.
EARLIEST_DAY = datetime.date(2000, 1, 1)
LATEST_DAY = datetime.date(2099, 12, 31)


def day_option(
    value: str | None, *, not_before_today: bool = False
) -> datetime.date | None:
    """A YYYY-MM-DD option as a date (None when not given); anything else is
    refused with exit status 2: not a date, outside 2000–2099, or (with
    `not_before_today`) a day before today."""
    if not value:
        return None
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(
            _("--today must be a date as YYYY-MM-DD."), returncode=REFUSED
        ) from error
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise CommandError(
            _("--today must be a day from %(earliest)s to %(latest)s.")
            % {"earliest": EARLIEST_DAY, "latest": LATEST_DAY},
            returncode=REFUSED,
        )
    if not_before_today and day < timezone.localdate():
        raise CommandError(
            _(
                "--today cannot be before today: as of an earlier day, what "
                "people owe now would lapse."
            ),
            returncode=REFUSED,
        )
    return day
