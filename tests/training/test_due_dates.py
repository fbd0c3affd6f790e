"""Due dates follow the item's rule; recurring items are owed per fiscal year."""

import datetime

import pytest
from django.test import override_settings

from training.models import DueRule, Recurrence
from training.requirements.due_dates import (
    ONCE,
    due_on_for,
    fiscal_year_of,
    period_on,
)

D = datetime.date


def test_the_fiscal_year_begins_on_the_first_of_april():
    assert fiscal_year_of(D(2027, 3, 31)) == 2026
    assert fiscal_year_of(D(2027, 4, 1)) == 2027


def test_a_yearly_item_is_owed_for_the_fiscal_year_of_the_day():
    period = period_on(recurrence=Recurrence.FISCAL_YEAR, day=D(2026, 11, 29))

    assert (period.key, period.start, period.end) == (
        "FY2026",
        D(2026, 4, 1),
        D(2027, 3, 31),
    )


def test_a_one_off_item_has_one_period():
    assert period_on(recurrence=Recurrence.NONE, day=D(2026, 11, 29)) == ONCE


def test_days_after_gaining_the_role_count_from_its_first_day():
    due = due_on_for(
        rule=DueRule.DAYS_AFTER_ROLE,
        due_date=None,
        due_days=30,
        period=ONCE,
        started_on=D(2026, 11, 23),
        joined_on=D(2010, 4, 1),
    )

    assert due == D(2026, 12, 23)


def test_a_yearly_item_counts_from_the_start_of_the_year_for_long_serving_staff():
    period = period_on(recurrence=Recurrence.FISCAL_YEAR, day=D(2026, 11, 29))

    due = due_on_for(
        rule=DueRule.DAYS_AFTER_JOINING,
        due_date=None,
        due_days=90,
        period=period,
        started_on=D(2010, 4, 1),
        joined_on=D(2010, 4, 1),
    )

    assert due == D(2026, 6, 30)


def test_a_yearly_fixed_date_falls_in_the_fiscal_year():
    period = period_on(recurrence=Recurrence.FISCAL_YEAR, day=D(2026, 5, 1))

    due = due_on_for(
        rule=DueRule.FIXED_DATE,
        due_date=D(2020, 2, 28),
        due_days=None,
        period=period,
        started_on=D(2015, 4, 1),
        joined_on=None,
    )

    assert due == D(2027, 2, 28)


@override_settings(GOFUN_TRAINING_MINIMUM_NOTICE_DAYS=14)
def test_someone_owing_an_item_after_its_fixed_date_gets_the_minimum_notice():
    due = due_on_for(
        rule=DueRule.FIXED_DATE,
        due_date=D(2026, 10, 31),
        due_days=None,
        period=ONCE,
        started_on=D(2026, 11, 20),
        joined_on=None,
    )

    assert due == D(2026, 12, 4)


def test_an_unknown_rule_is_refused():
    with pytest.raises(ValueError):
        due_on_for(
            rule="whenever",
            due_date=None,
            due_days=1,
            period=ONCE,
            started_on=D(2026, 1, 1),
            joined_on=None,
        )
