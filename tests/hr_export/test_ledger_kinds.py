"""Every kind of ledger row has one export entry; verbs are ADL's."""

import pytest

from hr_export.ledger_kinds import (
    COMPLETED,
    FAILED,
    LEDGER_KINDS,
    PASSED,
    VOIDED,
    WAIVED,
    export_kind,
)
from training.models import CompletionRecord


@pytest.mark.parametrize("kind", CompletionRecord.Kind.values)
def test_every_ledger_kind_has_an_export_entry(kind):
    assert export_kind(kind).label


def test_kind_labels_are_the_codes_hr_loads():
    labels = {kind: entry.label for kind, entry in LEDGER_KINDS.items()}

    assert labels == {
        "quiz_passed": "passed",
        "read_to_end": "read",
        "external": "external",
        "waived": "waived",
        "void": "void",
    }


def test_an_unmapped_kind_says_where_to_map_it():
    with pytest.raises(LookupError, match="LEDGER_KINDS"):
        export_kind("graded_drill")


@pytest.mark.parametrize(
    ("verb", "name"),
    [
        (COMPLETED, "completed"),
        (PASSED, "passed"),
        (FAILED, "failed"),
        (WAIVED, "waived"),
        (VOIDED, "voided"),
    ],
)
def test_verbs_are_adl_vocabulary_iris(verb, name):
    assert verb.iri == f"http://adlnet.gov/expapi/verbs/{name}"
    assert verb.as_xapi()["display"]["en-US"] == name
    assert verb.as_xapi()["display"]["ja-JP"]
