"""What the training commands share: reading a day given on the command line."""

from __future__ import annotations

import datetime

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

REFUSED = 2


def day_option(value: str | None) -> datetime.date | None:
    """A YYYY-MM-DD option as a date (None when not given); anything else is
    refused with exit status 2."""
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(
            _("--today must be a date as YYYY-MM-DD."), returncode=REFUSED
        ) from error
