"""Issue 12, acceptance 4: the demo's ledger as xAPI statements, each
accepted by a real Ralph LRS; its CSV and XLSX carry the same rows."""

from __future__ import annotations

import csv
import json

import openpyxl
import pytest
from django.db import transaction

from cms.demo import demo_load
from hr_export.exports import cell_text
from hr_export.xapi import statement_id
from training.models import CompletionRecord

from .conftest import BASE_URL, export_file
from .lrs_server import RalphLrs


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for this module in a transaction undone at its
    end (it simulates a thousand quiz attempts)."""
    with django_db_blocker.unblock(), transaction.atomic():
        demo_load()
        yield
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_demo_xapi_export_has_a_statement_per_row_each_accepted_by_ralph(
    demo, tmp_path, settings
):
    settings.WAGTAILADMIN_BASE_URL = BASE_URL
    records = list(CompletionRecord.objects.order_by("pk"))
    assert len(records) > 300
    assert {"quiz_passed", "external", "waived"} <= {r.kind for r in records}
    export_file("xapi", tmp_path / "statements.json")
    statements = json.loads((tmp_path / "statements.json").read_text("utf-8"))
    # `ralph runserver -b fs`, exactly as Ralph documents it (one batch).
    ralph = RalphLrs(tmp_path / "ralph", appending=False).start()
    try:
        response = ralph.post(statements)
        stored = ralph.statements()
        strict_errors = ralph.validate_strictly(statements)
    finally:
        ralph.stop()

    expected = [str(statement_id(record_id=r.pk, base_url=BASE_URL)) for r in records]
    assert [s["id"] for s in statements] == expected
    assert response.status_code == 200, response.text
    assert response.json() == expected
    assert sorted(s["id"] for s in stored) == sorted(expected)
    assert strict_errors == []


@pytest.mark.django_db
def test_demo_csv_and_xlsx_carry_the_same_rows(demo, tmp_path):
    export_file("csv", tmp_path / "records.csv")
    export_file("xlsx", tmp_path / "records.xlsx")

    with open(tmp_path / "records.csv", encoding="utf-8-sig", newline="") as file:
        csv_rows = list(csv.reader(file))
    sheet = openpyxl.load_workbook(tmp_path / "records.xlsx").active
    xlsx_rows = [
        [cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)
    ]

    assert csv_rows == xlsx_rows
    assert [int(row[11]) for row in csv_rows[1:]] == list(
        CompletionRecord.objects.order_by("pk").values_list("pk", flat=True)
    )
