"""`manage.py export_training_records`: CSV, XLSX and xAPI for HR."""

from __future__ import annotations

import csv
import datetime
import io
import json
import os
import stat
from unittest import mock
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from hr_export.exports import cell_text
from hr_export.xapi import statement_id
from tests.factories import StaffProfileFactory, make_lesson, read_to_end
from training.models import CompletionRecord

from .conftest import BASE_URL

pytestmark = pytest.mark.django_db

HEADINGS = [
    "職員番号",
    "氏名",
    "課室",
    "勤務先",
    "職責",
    "研修項目",
    "種別",
    "日付",
    "得点（%）",
    "教材の版",
    "認定",
    "記録番号",
    "取り消す記録",
]


def export(*args: str) -> tuple[str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("export_training_records", *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def xlsx_rows(path) -> list[list[str]]:
    sheet = openpyxl.load_workbook(path).active
    return [
        [cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)
    ]


def test_csv_is_utf8_with_a_bom_and_japanese_headings(ledger, tmp_path):
    path = tmp_path / "records.csv"

    export("--format", "csv", "--output", str(path))

    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = csv_rows(data.decode("utf-8"))
    assert rows[0] == HEADINGS


def test_csv_has_a_row_per_ledger_row_oldest_first(ledger):
    output, _ = export("--format", "csv")

    rows = csv_rows(output)[1:]
    assert [row[11] for row in rows] == [str(record.pk) for record in ledger.records]
    read = rows[0]
    assert read[:7] == [
        "A00001",
        "読了 一郎",
        "総務課",
        "本省",
        "一般職員、PJMO",
        "パスワードの管理",
        "read",
    ]
    assert read[7] == timezone.localtime(ledger.read.recorded_at).strftime(
        "%Y-%m-%d %H:%M:%S"
    )
    assert read[9] == str(ledger.reading.live_revision_id)
    assert read[10] == ""  # certification: recorded by the curricula work


def test_csv_kinds_scores_and_voids(ledger):
    output, _ = export("--format", "csv")

    rows = {row[11]: row for row in csv_rows(output)[1:]}
    passed, void = rows[str(ledger.passed.pk)], rows[str(ledger.void.pk)]
    assert ledger.passed.percent == 100
    assert (passed[6], passed[8], passed[12]) == ("passed", "100", "")
    assert (void[6], void[8], void[12]) == ("void", "", str(ledger.passed.pk))
    assert rows[str(ledger.nameless_read.pk)][0] == ""


def test_csv_cells_that_would_run_as_formulas_are_neutralised(ledger):
    sneaky = StaffProfileFactory(
        user__username="sneaky",
        user__first_name='=HYPERLINK("http://evil.example","x")',
        staff_number="B00001",
        division__name="@総務課",
    ).user
    lesson = make_lesson(series=ledger.series, title="-1+1")
    read_to_end(lesson=lesson, user=sneaky)

    output, _ = export("--format", "csv")

    row = csv_rows(output)[-1]
    assert row[1] == '\'=HYPERLINK("http://evil.example","x")'
    assert row[2] == "'@総務課"
    assert row[5] == "'-1+1"
    assert not [
        cell
        for r in csv_rows(output)
        for cell in r
        if cell.startswith(("=", "+", "-", "@"))
    ]


def test_xlsx_carries_the_same_rows_as_the_csv(ledger, tmp_path):
    export("--format", "xlsx", "--output", str(tmp_path / "records.xlsx"))
    output, _ = export("--format", "csv")

    assert xlsx_rows(tmp_path / "records.xlsx") == csv_rows(output)


def test_xlsx_keeps_dates_and_scores_as_values(ledger, tmp_path):
    export("--format", "xlsx", "--output", str(tmp_path / "records.xlsx"))

    sheet = openpyxl.load_workbook(tmp_path / "records.xlsx").active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    passed = next(row for row in rows if row[11] == ledger.passed.pk)
    assert isinstance(passed[7], datetime.datetime)
    assert passed[8] == float(ledger.passed.percent)


def test_xlsx_needs_an_output_file(ledger):
    with pytest.raises(CommandError, match="--output"):
        export("--format", "xlsx")


def test_xapi_is_a_json_array_of_one_statement_per_row(ledger, settings):
    settings.WAGTAILADMIN_BASE_URL = BASE_URL

    output, errors = export("--format", "xapi")

    statements = json.loads(output)
    named = [r for r in ledger.records if r != ledger.nameless_read]
    assert [s["id"] for s in statements] == [
        str(statement_id(record_id=record.pk, base_url=BASE_URL)) for record in named
    ]
    assert errors.endswith("3 件の記録を書き出しました。\n")


def test_xapi_leaves_out_people_without_a_staff_number_and_says_so(ledger):
    output, errors = export("--format", "xapi")

    assert len(json.loads(output)) == 3
    assert f"{ledger.nameless_read.pk}" in errors
    assert "nameless" in errors
    assert "職員番号がありません" in errors


def test_since_leaves_out_earlier_records(ledger):
    tokyo = ZoneInfo("Asia/Tokyo")
    with mock.patch.object(
        timezone, "now", return_value=datetime.datetime(2031, 4, 1, 9, 0, tzinfo=tokyo)
    ):
        later = read_to_end(lesson=ledger.reading, user=StaffProfileFactory().user)

    output, _ = export("--format", "csv", "--since", "2031-04-01")

    assert [row[11] for row in csv_rows(output)[1:]] == [str(later.pk)]


@pytest.mark.parametrize("bad", ["2031-13-01", "yesterday", "2031/04/01", ""])
def test_a_date_that_is_not_one_is_refused_with_a_message(ledger, bad):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        export("--format", "csv", "--since", bad)


def test_an_unknown_format_is_refused(ledger):
    with pytest.raises(CommandError, match="invalid choice"):
        export("--format", "pdf")


def test_output_onto_a_directory_is_refused(ledger, tmp_path):
    with pytest.raises(CommandError, match="ディレクトリです"):
        export("--format", "csv", "--output", str(tmp_path))

    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_the_earliest_and_latest_days_are_dates_like_any_other(ledger, day):
    output, _ = export("--format", "csv", "--since", day)

    rows = csv_rows(output)[1:]
    assert len(rows) == (4 if day.startswith("0001") else 0)


def test_output_into_a_missing_directory_is_refused(ledger, tmp_path):
    with pytest.raises(CommandError, match="No such directory|ディレクトリ"):
        export("--format", "csv", "--output", str(tmp_path / "missing" / "x.csv"))


def test_a_failed_export_leaves_no_partial_file(ledger, tmp_path):
    path = tmp_path / "records.csv"
    path.write_text("yesterday's export")
    # A kind of record the export has no entry for makes it fail midway.
    CompletionRecord.objects.create(
        kind="unknown", user=ledger.reader, lesson=ledger.reading
    )

    with pytest.raises(LookupError):
        export("--format", "csv", "--output", str(path))

    assert path.read_text() == "yesterday's export"
    assert [p.name for p in tmp_path.iterdir()] == ["records.csv"]


def test_attendance_and_waivers_are_rows_of_their_own_kinds(training_records):
    output, _ = export("--format", "csv")

    rows = {row[11]: row for row in csv_rows(output)[1:]}
    attended = rows[str(training_records.attended.pk)]
    waived = rows[str(training_records.waived.pk)]
    assert (attended[0], attended[5], attended[6], attended[7]) == (
        "A00001",
        "標的型メール訓練",
        "external",
        "2025-04-01 00:00:00",
    )
    assert (waived[0], waived[5], waived[6]) == ("A00002", "標的型メール訓練", "waived")


def test_output_onto_something_not_a_regular_file_is_refused(ledger, tmp_path):
    # A FIFO (like /dev/stdout or a device node) would be replaced by the
    # rename into place, not written to.
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)

    with pytest.raises(CommandError, match="通常のファイルではありません"):
        export("--format", "csv", "--output", str(fifo))

    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]


def test_output_through_a_symbolic_link_writes_the_file_it_names(ledger, tmp_path):
    target = tmp_path / "records.csv"
    target.write_text("yesterday's export")
    link = tmp_path / "latest.csv"
    link.symlink_to(target)

    export("--format", "csv", "--output", str(link))

    assert link.is_symlink()
    assert csv_rows(target.read_text(encoding="utf-8"))[0] == HEADINGS
