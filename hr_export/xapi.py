"""Ledger rows as xAPI 1.0.3 statements for HR's Learning Record Store.

- Actor: an account on the site (homePage = WAGTAILADMIN_BASE_URL, name = the
  staff number), never an e-mail address. A person without a staff number
  cannot be named, so their rows are left out (StatementSkipped), never sent
  under an invented identifier.
- Verb, success and completion: hr_export.ledger_kinds.
- Object: the checkpoint passed, else the lesson, else the series, else the
  external training or drill, as an Activity whose IRI is under the base URL
  and whose name is Japanese; the lesson and series it belongs to are its
  context's parent and grouping. A void's object is a StatementRef to the
  statement of the row it voids.
- Timestamp: when the row was recorded; for attendance at an external
  training, the day attended (its start, in the site's time zone).
- Id: a UUID derived from the base URL and the row's id (uuid5 in a fixed
  namespace), so every export and every re-send of a row carries the same id
  and an LRS never stores it twice.
"""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from .ledger_kinds import WAIVED, export_kind
from .selectors import Activity, LedgerEntry

# Fixed for good: changing it would give every statement already sent a twin.
STATEMENT_NAMESPACE = uuid.UUID("6f0e3a52-9a6c-4c39-9b0b-5e7a4c1d2f80")

ACTIVITY_TYPES = {
    "lesson": "http://adlnet.gov/expapi/activities/lesson",
    "series": "http://adlnet.gov/expapi/activities/course",
    "checkpoint": "http://adlnet.gov/expapi/activities/assessment",
    # External trainings by their kind: a course held elsewhere, or a drill.
    "external-training": "http://adlnet.gov/expapi/activities/course",
    "external-training/drill": "http://adlnet.gov/expapi/activities/simulation",
}
PLATFORM = "Gofun"
LANGUAGE = "ja-JP"


class StatementSkipped(Exception):
    """A row that cannot be a statement; the message says why."""


def statement_id(*, record_id: int, base_url: str) -> uuid.UUID:
    """The statement id of a ledger row: the same on every export and send."""
    return uuid.uuid5(STATEMENT_NAMESPACE, f"{base_url}/completion-records/{record_id}")


def extension_iri(*, base_url: str, name: str) -> str:
    return f"{base_url}/xapi/extensions/{name}"


def activity_iri(*, base_url: str, activity: Activity) -> str:
    return f"{base_url}/xapi/activities/{activity.kind}/{activity.pk}"


def _activity(activity: Activity, *, base_url: str) -> dict:
    activity_type = ACTIVITY_TYPES.get(
        f"{activity.kind}/{activity.variant}", ACTIVITY_TYPES[activity.kind]
    )
    return {
        "objectType": "Activity",
        "id": activity_iri(base_url=base_url, activity=activity),
        "definition": {
            "name": {LANGUAGE: activity.title},
            "type": activity_type,
        },
    }


def _timestamp(entry: LedgerEntry) -> datetime.datetime:
    if entry.completed_on is not None:
        return timezone.make_aware(
            datetime.datetime.combine(entry.completed_on, datetime.time.min)
        )
    return timezone.localtime(entry.recorded_at)


def _scaled(percent: Decimal) -> float:
    return float(round(percent / 100, 4))


def xapi_statement(entry: LedgerEntry, *, base_url: str) -> dict:
    """The xAPI statement of one ledger row; StatementSkipped if it has none."""
    if not entry.staff_number:
        raise StatementSkipped(_("no staff number"))
    kind = export_kind(entry.kind)
    statement = {
        "id": str(statement_id(record_id=entry.record_id, base_url=base_url)),
        "actor": {
            "objectType": "Agent",
            "account": {"homePage": base_url, "name": entry.staff_number},
        },
        "verb": kind.verb.as_xapi(),
        "timestamp": _timestamp(entry).isoformat(),
    }
    extensions = {
        extension_iri(base_url=base_url, name="completion-record"): entry.record_id
    }
    # Platform and revision belong to statements about an Activity only.
    context = {"language": LANGUAGE, "extensions": extensions}

    if kind.voids:
        if entry.voids_record_id is None:
            raise StatementSkipped(_("a void that names no record"))
        statement["object"] = {
            "objectType": "StatementRef",
            "id": str(statement_id(record_id=entry.voids_record_id, base_url=base_url)),
        }
        extensions[extension_iri(base_url=base_url, name="void-reason")] = entry.reason
        if entry.recorded_by_staff_number:
            extensions[extension_iri(base_url=base_url, name="voided-by")] = (
                entry.recorded_by_staff_number
            )
        statement["context"] = context
        return statement

    target = entry.checkpoint or entry.item
    if target is None:
        raise StatementSkipped(_("no lesson, series or checkpoint"))
    statement["object"] = _activity(target, base_url=base_url)
    context["platform"] = PLATFORM
    around = [a for a in (entry.lesson, entry.series) if a is not None and a != target]
    if around:
        context["contextActivities"] = {
            "parent": [_activity(around[0], base_url=base_url)]
        }
        if len(around) > 1:
            context["contextActivities"]["grouping"] = [
                _activity(activity, base_url=base_url) for activity in around[1:]
            ]
    if entry.lesson_revision_id is not None:
        context["revision"] = str(entry.lesson_revision_id)
    if kind.verb == WAIVED:
        extensions[extension_iri(base_url=base_url, name="waiver-reason")] = (
            entry.reason
        )
    statement["context"] = context

    result = {}
    if entry.percent is not None:
        result["score"] = {
            "scaled": _scaled(entry.percent),
            "raw": float(entry.percent),
            "min": 0,
            "max": 100,
        }
    if kind.success is not None:
        result["success"] = kind.success
    if kind.completion is not None:
        result["completion"] = kind.completion
    if result:
        statement["result"] = result
    return statement
