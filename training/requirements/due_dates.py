"""Due dates and recurrence periods of curriculum items: rules on dates only.

A recurring item is owed once per period; each recurrence names its periods
in RECURRENCES (a fiscal year from 1 April today; a new kind of recurrence is
one more function there). Records made before a period began do not count
for it. A one-off item has a single period with the empty key.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings

from ..models import DueRule, Recurrence

FISCAL_YEAR_FIRST_MONTH = 4


@dataclass(frozen=True)
class Period:
    """When a recurring requirement is owed; key "" and no dates for one-offs."""

    key: str
    start: datetime.date | None = None
    end: datetime.date | None = None


ONCE = Period(key="")


def fiscal_year_of(day: datetime.date) -> int:
    """The Japanese fiscal year (年度) a day falls in: FY2026 runs from
    1 April 2026 to 31 March 2027."""
    return day.year if day.month >= FISCAL_YEAR_FIRST_MONTH else day.year - 1


def fiscal_year_period(day: datetime.date) -> Period:
    year = fiscal_year_of(day)
    return Period(
        key=f"FY{year}",
        start=datetime.date(year, FISCAL_YEAR_FIRST_MONTH, 1),
        end=datetime.date(year + 1, FISCAL_YEAR_FIRST_MONTH, 1)
        - datetime.timedelta(days=1),
    )


RECURRENCES: dict[str, Callable[[datetime.date], Period]] = {
    Recurrence.NONE: lambda day: ONCE,
    Recurrence.FISCAL_YEAR: fiscal_year_period,
}


def period_on(*, recurrence: str, day: datetime.date) -> Period:
    """The period of a recurrence that a day falls in."""
    return RECURRENCES[recurrence](day)


def _same_day_in(period: Period, fixed: datetime.date) -> datetime.date:
    """A fixed date's month and day, in the year of the period they fall in."""
    year = period.start.year
    if fixed.month < period.start.month:
        year += 1
    last = calendar.monthrange(year, fixed.month)[1]
    return datetime.date(year, fixed.month, min(fixed.day, last))


def minimum_notice() -> datetime.timedelta:
    return datetime.timedelta(
        days=getattr(settings, "GOFUN_TRAINING_MINIMUM_NOTICE_DAYS", 30)
    )


def retraining_notice() -> datetime.timedelta:
    return datetime.timedelta(
        days=getattr(settings, "GOFUN_TRAINING_RETRAINING_DAYS", 30)
    )


def due_on_for(
    *,
    rule: str,
    due_date: datetime.date | None,
    due_days: int | None,
    period: Period,
    started_on: datetime.date,
    joined_on: datetime.date | None,
) -> datetime.date:
    """When an item is due for someone who owes it from `started_on` (the day
    they gained the role, or joined, for the curriculum for all staff).

    In a recurring period every count starts no earlier than the period; a
    fixed date falls on its month and day within the period. Someone who
    comes to owe an item after its due date would be late from the first
    day: they get the minimum notice (GOFUN_TRAINING_MINIMUM_NOTICE_DAYS).
    """
    start = started_on if period.start is None else max(started_on, period.start)
    if rule == DueRule.FIXED_DATE:
        due = due_date if period.start is None else _same_day_in(period, due_date)
    elif rule == DueRule.DAYS_AFTER_ROLE:
        due = start + datetime.timedelta(days=due_days)
    elif rule == DueRule.DAYS_AFTER_JOINING:
        base = joined_on or started_on
        if period.start is not None:
            base = max(base, period.start)
        due = base + datetime.timedelta(days=due_days)
    else:
        raise ValueError(f"Unknown due rule {rule!r}")
    if due < start:
        due = start + minimum_notice()
    return due
