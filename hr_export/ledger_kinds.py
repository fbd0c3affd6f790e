"""How each kind of ledger row reads in HR's exports: one entry per kind.

The CSV/XLSX "kind" column, the xAPI verb and the result's success and
completion all come from LEDGER_KINDS, so a new kind of completion record is
exported by adding its entry here and nothing else (FAILED is ready for a
drill graded pass or fail); tests/hr_export/test_ledger_kinds.py fails until
every kind has an entry.
"""

from __future__ import annotations

from dataclasses import dataclass

from training.models import CompletionRecord


@dataclass(frozen=True)
class Verb:
    """An xAPI verb from ADL's vocabulary, with its display names."""

    iri: str
    english: str
    japanese: str

    def as_xapi(self) -> dict:
        return {
            "id": self.iri,
            "display": {"en-US": self.english, "ja-JP": self.japanese},
        }


# ADL's verbs (http://adlnet.gov/expapi/verbs/), as the xAPI 1.0.3 spec uses them.
COMPLETED = Verb("http://adlnet.gov/expapi/verbs/completed", "completed", "修了した")
PASSED = Verb("http://adlnet.gov/expapi/verbs/passed", "passed", "合格した")
FAILED = Verb("http://adlnet.gov/expapi/verbs/failed", "failed", "不合格となった")
WAIVED = Verb("http://adlnet.gov/expapi/verbs/waived", "waived", "免除された")
VOIDED = Verb("http://adlnet.gov/expapi/verbs/voided", "voided", "取り消した")


@dataclass(frozen=True)
class ExportKind:
    """A ledger kind as HR sees it.

    `label` is the spreadsheet's kind column, a stable code for HR's loaders
    in every interface language; `success` and `completion` go into the xAPI
    result when not None. A kind whose verb is VOIDED is sent as a statement
    that voids the statement of the record it voids.
    """

    label: str
    verb: Verb
    success: bool | None = None
    completion: bool | None = None

    @property
    def voids(self) -> bool:
        return self.verb == VOIDED


LEDGER_KINDS: dict[str, ExportKind] = {
    CompletionRecord.Kind.QUIZ_PASSED: ExportKind(
        "passed", PASSED, success=True, completion=True
    ),
    CompletionRecord.Kind.READ_TO_END: ExportKind("read", COMPLETED, completion=True),
    # Attendance at an external training or drill, on the day attended.
    CompletionRecord.Kind.EXTERNAL: ExportKind("external", COMPLETED, completion=True),
    # Excused from one requirement, with the reason.
    CompletionRecord.Kind.WAIVED: ExportKind("waived", WAIVED),
    CompletionRecord.Kind.VOID: ExportKind("void", VOIDED),
}


def export_kind(kind: str) -> ExportKind:
    """The export of a ledger kind (a kind without an entry is our mistake)."""
    try:
        return LEDGER_KINDS[kind]
    except KeyError:
        raise LookupError(
            f"Ledger kind {kind!r} has no entry in hr_export.ledger_kinds.LEDGER_KINDS"
        ) from None
