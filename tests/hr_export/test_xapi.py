"""Ledger rows as xAPI 1.0.3 statements."""

import datetime
import json
import uuid

import pytest

from hr_export.selectors import ledger_entries
from hr_export.xapi import StatementSkipped, statement_id, xapi_statement
from training.models import CompletionRecord

from .conftest import BASE_URL

pytestmark = pytest.mark.django_db


def statement_of(record) -> dict:
    (entry,) = ledger_entries(records=CompletionRecord.objects.filter(pk=record.pk))
    return xapi_statement(entry, base_url=BASE_URL)


def test_statement_id_is_the_same_every_time_and_differs_per_record():
    first = statement_id(record_id=1, base_url=BASE_URL)

    assert first == statement_id(record_id=1, base_url=BASE_URL)
    assert first != statement_id(record_id=2, base_url=BASE_URL)
    assert first.version == 5


def test_a_statement_carries_its_rows_id(ledger):
    statement = statement_of(ledger.read)

    assert statement["id"] == str(
        statement_id(record_id=ledger.read.pk, base_url=BASE_URL)
    )
    assert uuid.UUID(statement["id"])


def test_actor_is_an_account_on_the_site_named_by_staff_number(ledger):
    statement = statement_of(ledger.read)

    assert statement["actor"] == {
        "objectType": "Agent",
        "account": {"homePage": BASE_URL, "name": "A00001"},
    }
    text = json.dumps(statement, ensure_ascii=False)
    assert "mbox" not in text
    assert "@" not in text


def test_reading_to_the_end_is_completing_the_lesson_in_its_series(ledger):
    statement = statement_of(ledger.read)

    assert statement["verb"]["id"] == "http://adlnet.gov/expapi/verbs/completed"
    assert statement["object"] == {
        "objectType": "Activity",
        "id": f"{BASE_URL}/xapi/activities/lesson/{ledger.reading.pk}",
        "definition": {
            "name": {"ja-JP": "パスワードの管理"},
            "type": "http://adlnet.gov/expapi/activities/lesson",
        },
    }
    parent = statement["context"]["contextActivities"]["parent"]
    assert parent[0]["id"] == f"{BASE_URL}/xapi/activities/series/{ledger.series.pk}"
    assert parent[0]["definition"]["name"] == {"ja-JP": "情報セキュリティの基本"}
    assert statement["result"] == {"completion": True}
    assert statement["context"]["revision"] == str(ledger.reading.live_revision_id)


def test_a_pass_is_passing_the_checkpoint_with_a_scaled_score(ledger):
    statement = statement_of(ledger.passed)
    percent = float(ledger.passed.percent)

    assert statement["verb"]["id"] == "http://adlnet.gov/expapi/verbs/passed"
    assert statement["object"]["id"] == (
        f"{BASE_URL}/xapi/activities/checkpoint/{ledger.checkpoint.pk}"
    )
    assert statement["object"]["definition"]["type"] == (
        "http://adlnet.gov/expapi/activities/assessment"
    )
    activities = statement["context"]["contextActivities"]
    assert activities["parent"][0]["definition"]["name"] == {
        "ja-JP": "標的型メールの見分け方"
    }
    assert activities["grouping"][0]["definition"]["name"] == {
        "ja-JP": "情報セキュリティの基本"
    }
    assert statement["result"] == {
        "score": {
            "scaled": round(percent / 100, 4),
            "raw": percent,
            "min": 0,
            "max": 100,
        },
        "success": True,
        "completion": True,
    }


def test_timestamp_is_when_the_row_was_recorded_in_the_site_time_zone(ledger):
    statement = statement_of(ledger.read)

    assert statement["timestamp"].endswith("+09:00")
    assert datetime.datetime.fromisoformat(statement["timestamp"]) == (
        ledger.read.recorded_at
    )


def test_a_void_voids_the_statement_of_the_row_it_voids(ledger, training_admin):
    statement = statement_of(ledger.void)

    assert statement["verb"]["id"] == "http://adlnet.gov/expapi/verbs/voided"
    assert statement["object"] == {
        "objectType": "StatementRef",
        "id": statement_of(ledger.passed)["id"],
    }
    assert statement["actor"]["account"]["name"] == "A00002"
    extensions = statement["context"]["extensions"]
    assert extensions[f"{BASE_URL}/xapi/extensions/void-reason"] == "受験者の取り違え"
    # Platform and revision are only for statements about an activity.
    assert "platform" not in statement["context"]
    assert "result" not in statement


def test_void_names_who_voided_it_by_staff_number(ledger, training_admin):
    from tests.factories import StaffProfileFactory

    StaffProfileFactory(user=training_admin, staff_number="T99999")

    statement = statement_of(ledger.void)

    assert (
        statement["context"]["extensions"][f"{BASE_URL}/xapi/extensions/voided-by"]
        == "T99999"
    )


def test_a_person_without_a_staff_number_has_no_statement(ledger):
    with pytest.raises(StatementSkipped):
        statement_of(ledger.nameless_read)


def test_attending_a_drill_is_completing_it_on_the_day_attended(training_records):
    statement = statement_of(training_records.attended)
    drill = training_records.drill

    assert statement["verb"]["id"] == "http://adlnet.gov/expapi/verbs/completed"
    assert statement["object"] == {
        "objectType": "Activity",
        "id": f"{BASE_URL}/xapi/activities/external-training/{drill.pk}",
        "definition": {
            "name": {"ja-JP": "標的型メール訓練"},
            "type": "http://adlnet.gov/expapi/activities/simulation",
        },
    }
    assert statement["timestamp"] == "2025-04-01T00:00:00+09:00"
    assert statement["result"] == {"completion": True}
    assert statement["actor"]["account"]["name"] == "A00001"


def test_a_waiver_is_the_person_waived_from_the_item_with_the_reason(
    training_records,
):
    statement = statement_of(training_records.waived)

    assert statement["verb"]["id"] == "http://adlnet.gov/expapi/verbs/waived"
    assert statement["actor"]["account"]["name"] == "A00002"
    assert statement["object"]["id"].endswith(
        f"/external-training/{training_records.drill.pk}"
    )
    assert "result" not in statement
    assert (
        statement["context"]["extensions"][f"{BASE_URL}/xapi/extensions/waiver-reason"]
        == "長期出張のため"
    )
