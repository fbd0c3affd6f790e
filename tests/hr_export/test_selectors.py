"""What HR's exports read about each ledger row."""

import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from hr_export.selectors import (
    completion_records_recorded_since,
    ledger_entries,
    ledger_records_without_staff_number,
)
from tests.factories import StaffProfileFactory, read_to_end
from training.models import CompletionRecord

from .conftest import make_ledger

pytestmark = pytest.mark.django_db

TOKYO = ZoneInfo("Asia/Tokyo")


def entries(records=None):
    return list(ledger_entries(records=records or CompletionRecord.objects.all()))


def test_entry_names_the_person_their_division_post_and_staff_number(ledger):
    entry = next(e for e in entries() if e.record_id == ledger.read.pk)

    assert entry.staff_number == "A00001"
    assert entry.name == "読了 一郎"
    assert entry.division == "総務課"
    assert entry.post == "本省"


def test_roles_are_those_held_on_the_day_of_the_record(ledger):
    entry = next(e for e in entries() if e.record_id == ledger.read.pk)

    # LAN・IT機器担当 ended in 2022, so it is not listed.
    assert entry.roles == ("一般職員", "PJMO")


def test_entry_of_a_lesson_names_the_lesson_and_its_series(ledger):
    entry = next(e for e in entries() if e.record_id == ledger.read.pk)

    assert entry.item.title == "パスワードの管理"
    assert entry.series.title == "情報セキュリティの基本"
    assert entry.lesson_revision_id == ledger.reading.live_revision_id


def test_entry_of_a_pass_names_the_checkpoint_and_score(ledger):
    entry = next(e for e in entries() if e.record_id == ledger.passed.pk)

    assert entry.checkpoint.title == ledger.checkpoint.quiz.title
    assert entry.item.title == "標的型メールの見分け方"
    assert entry.percent == ledger.passed.percent


def test_void_entry_names_the_record_it_voids_and_why(ledger):
    entry = next(e for e in entries() if e.record_id == ledger.void.pk)

    assert entry.voids_record_id == ledger.passed.pk
    assert entry.reason == "受験者の取り違え"
    assert entry.item.title == "標的型メールの見分け方"


def test_entries_come_oldest_first_across_chunks(ledger):
    found = list(ledger_entries(records=CompletionRecord.objects.all(), chunk_size=3))

    assert [e.record_id for e in found] == sorted(r.pk for r in ledger.records)


def test_entries_are_read_in_the_same_number_of_queries_for_more_rows(
    training_admin, django_assert_max_num_queries
):
    ledger = make_ledger(training_admin)
    with django_assert_max_num_queries(4) as few:
        entries()
    for _ in range(12):
        learner = StaffProfileFactory(roles=["general", "pjmo"]).user
        read_to_end(lesson=ledger.reading, user=learner)

    with django_assert_max_num_queries(len(few.captured_queries)):
        found = entries()

    assert len(found) == 16


def test_person_without_a_profile_has_empty_fields(ledger, staff_without_profile):
    record = read_to_end(lesson=ledger.reading, user=staff_without_profile)

    entry = entries(CompletionRecord.objects.filter(pk=record.pk))[0]

    assert (entry.staff_number, entry.division, entry.post, entry.roles) == (
        "",
        "",
        "",
        (),
    )
    assert entry.name == "visitor"


def test_records_without_staff_number_are_those_xapi_cannot_name(
    ledger, staff_without_profile
):
    visitor_read = read_to_end(lesson=ledger.reading, user=staff_without_profile)

    assert set(ledger_records_without_staff_number()) == {
        ledger.nameless_read,
        visitor_read,
    }


def test_since_starts_at_midnight_in_the_site_time_zone(ledger):
    def recorded_at(moment):
        with mock.patch.object(timezone, "now", return_value=moment):
            learner = StaffProfileFactory().user
            return read_to_end(lesson=ledger.reading, user=learner)

    before = recorded_at(datetime.datetime(2030, 3, 31, 23, 59, tzinfo=TOKYO))
    after = recorded_at(datetime.datetime(2030, 4, 1, 0, 1, tzinfo=TOKYO))

    found = completion_records_recorded_since(since=datetime.date(2030, 4, 1))

    assert list(found) == [after]
    assert before in completion_records_recorded_since(since=None)
