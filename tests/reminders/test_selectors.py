"""Who is due a reminder on a day, and what managers are told (no mail sent)."""

import datetime

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from reminders.selectors import Skip, reminder_due, reminders_due
from tests.factories import DivisionFactory, UserFactory
from tests.training.conftest import days, read, today
from training.models import Requirement
from training.requirements.selectors import Status

from .conftest import requirement_of, staff

DUE = datetime.date(2026, 6, 30)


def due_on(day, *, last=None, before=7):
    return reminder_due(due_on=DUE, today=day, before=before, last_reminded=last)


@pytest.mark.parametrize(
    ("day", "last", "expected"),
    [
        (DUE - days(8), None, False),  # not yet: more than N days ahead
        (DUE - days(7), None, True),  # N days before
        (DUE - days(3), None, True),  # caught up: the run missed the day
        (DUE - days(3), DUE - days(7), False),  # reminded N days before
        (DUE, DUE - days(7), True),  # on the day
        (DUE + days(3), DUE, False),  # overdue, reminded on the day
        (DUE + days(7), DUE, True),  # a week later
        (DUE + days(9), DUE + days(7), False),
        (DUE + days(14), DUE + days(7), True),  # weekly while overdue
        (DUE + days(40), None, True),  # never reminded: at once
    ],
)
def test_a_reminder_falls_before_on_and_weekly_after_the_due_date(day, last, expected):
    assert due_on(day, last=last) is expected


def test_no_reminder_ahead_of_the_due_date_when_n_is_zero():
    assert not due_on(DUE - days(1), before=0)
    assert due_on(DUE, before=0)


pytestmark = pytest.mark.django_db


def digests_by_username(plan):
    return {digest.recipient.username: digest for digest in plan.digests}


def test_people_are_reminded_of_items_due_within_n_days_or_overdue(
    mandatory_course, division, reminder_days
):
    soon = staff("soon", due_in=7, division=division)
    staff("later", due_in=8, division=division)
    late = staff("late", due_in=-3, division=division)

    digests = digests_by_username(reminders_due(today=today()))

    assert set(digests) == {"soon", "late"}
    assert digests["late"].recipient == late
    assert [line.requirement for line in digests["soon"].own] == [requirement_of(soon)]
    [line] = digests["late"].own
    assert (line.status, line.days_overdue) == (Status.OVERDUE, 3)
    assert line.title == "情報セキュリティの基本ルール"


def test_a_completed_item_is_not_reminded(
    mandatory_course, security_course, division, reminder_days
):
    done = staff("done", due_in=-3, division=division)
    for lesson in security_course.get_children().specific():
        read(lesson, done)

    assert reminders_due(today=today()).digests == []


def test_an_item_m_days_overdue_goes_to_the_division_manager(
    mandatory_course, division, manager, reminder_days
):
    staff("fresh", due_in=-13, division=division)
    late = staff("late", due_in=-14, division=division, name="遅延 太郎")

    digests = digests_by_username(reminders_due(today=today()))

    [line] = digests[manager.username].team
    assert line.requirement == requirement_of(late)
    assert (line.person_name, line.division) == ("遅延 太郎", "総務課")
    assert line.first_escalation
    assert digests[manager.username].escalates


def test_inactive_people_are_not_reported_and_never_mailed(
    mandatory_course, division, manager, reminder_days
):
    staff("gone", due_in=-30, division=division, active=False)
    staff("no-address", due_in=-30, division=division, email=False)

    plan = reminders_due(today=today())
    digests = digests_by_username(plan)

    assert [line.person_name for line in digests[manager.username].team] == [
        "no-address さん"
    ]
    assert plan.skip_reason(digests["gone"]) == Skip.INACTIVE
    assert plan.skip_reason(digests["no-address"]) == Skip.NO_ADDRESS
    assert plan.skip_reason(digests[manager.username]) is None


def test_a_manager_is_not_reported_their_own_items(mandatory_course, reminder_days):
    manager = UserFactory(username="boss")
    division = DivisionFactory(code="boss-division", manager=manager)
    staff("boss", due_in=-30, division=division)

    [digest] = reminders_due(today=today()).digests

    assert digest.recipient == manager
    assert len(digest.own) == 1
    assert digest.team == []


def test_a_manager_sees_no_title_of_a_lesson_they_may_not_see(
    mandatory_course, security_course, division, manager, reminder_days
):
    restriction = PageViewRestriction.objects.create(
        page=security_course, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name="編集者")])
    staff("late", due_in=-30, division=division, name="遅延 太郎")

    digests = digests_by_username(reminders_due(today=today()))

    [line] = digests[manager.username].team
    assert line.title != "情報セキュリティの基本ルール"
    assert line.title == "閲覧できない教材"


def test_a_lapsed_requirement_is_neither_reminded_nor_reported(
    mandatory_course, division, reminder_days
):
    late = staff("late", due_in=-30, division=division)
    Requirement.objects.filter(user=late).update(
        lapsed_on=today(), lapse_reason=Requirement.LapseReason.ROLE_ENDED
    )

    assert reminders_due(today=today()).digests == []
