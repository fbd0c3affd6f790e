"""The HR export's formats: CSV, XLSX and a JSON array of xAPI statements.

Each writer takes LedgerEntry rows (hr_export.selectors) and yields or
writes the file; the command and the admin view both use them, so a file is
the same whichever made it. The spreadsheet columns are COLUMNS; CSV is
UTF-8 with a byte-order mark (so spreadsheet programs read the Japanese
right), and every spreadsheet cell goes through cms.spreadsheets.
spreadsheet_safe, so no cell runs as a formula.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import pgettext_lazy

from cms.spreadsheets import spreadsheet_safe

from .ledger_kinds import export_kind
from .selectors import LedgerEntry
from .xapi import StatementSkipped, xapi_statement

CSV = "csv"
XLSX = "xlsx"
XAPI = "xapi"
FORMATS = (CSV, XLSX, XAPI)

CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    XAPI: "application/json",
}
FILE_EXTENSIONS = {CSV: "csv", XLSX: "xlsx", XAPI: "json"}

ROLE_SEPARATOR = "、"
DATE_FORMAT = "%Y-%m-%d %H:%M:%S"


def _date(entry: LedgerEntry) -> datetime.datetime:
    # The day attended for an external training; otherwise when recorded.
    # In the site's time zone, to the second, without an offset: what
    # spreadsheets hold (XLSX would otherwise round what CSV truncates).
    if entry.completed_on is not None:
        return datetime.datetime.combine(entry.completed_on, datetime.time.min)
    return timezone.localtime(entry.recorded_at).replace(tzinfo=None, microsecond=0)


def _score(entry: LedgerEntry) -> float | None:
    return None if entry.percent is None else float(entry.percent)


def _certification(entry: LedgerEntry) -> str:
    # Skill certification (スキル認定) is not a ledger row: training derives it
    # per person (training.requirements.selectors.certifications_from: every
    # item of a role's curriculum met, dated by the last). This column is
    # where a row will name the certification it completed, once that is
    # recorded against the row that completed it.
    return ""


# (heading, value) per column, in order. Values keep their type (dates,
# numbers) for XLSX; CSV writes them as text.
COLUMNS: list[tuple[str, Callable[[LedgerEntry], object]]] = [
    (
        pgettext_lazy("HR export column", "Staff number"),
        lambda entry: entry.staff_number,
    ),
    (pgettext_lazy("HR export column", "Name"), lambda entry: entry.name),
    (pgettext_lazy("HR export column", "Division"), lambda entry: entry.division),
    (pgettext_lazy("HR export column", "Post"), lambda entry: entry.post),
    (
        pgettext_lazy("HR export column", "Job roles"),
        lambda entry: ROLE_SEPARATOR.join(entry.roles),
    ),
    (
        pgettext_lazy("HR export column", "Item"),
        lambda entry: entry.item.title if entry.item else "",
    ),
    (
        pgettext_lazy("HR export column", "Kind"),
        lambda entry: export_kind(entry.kind).label,
    ),
    (pgettext_lazy("HR export column", "Date"), _date),
    (pgettext_lazy("HR export column", "Score (%)"), _score),
    (
        pgettext_lazy("HR export column", "Lesson revision"),
        lambda entry: entry.lesson_revision_id,
    ),
    (pgettext_lazy("HR export column", "Certification"), _certification),
    # Which ledger row it is, and which row a void cancels: HR needs both to
    # apply a void to the right completion.
    (pgettext_lazy("HR export column", "Record"), lambda entry: entry.record_id),
    (
        pgettext_lazy("HR export column", "Voids record"),
        lambda entry: entry.voids_record_id,
    ),
]


def headings() -> list[str]:
    return [str(spreadsheet_safe(str(heading))) for heading, _ in COLUMNS]


def spreadsheet_values(entry: LedgerEntry) -> list:
    """One row's cells, typed, with text made safe for spreadsheets."""
    return [spreadsheet_safe(value(entry)) for _, value in COLUMNS]


def cell_text(value) -> str:
    """A cell as text: dates as YYYY-MM-DD HH:MM:SS, nothing as ""."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.strftime(DATE_FORMAT)
    if isinstance(value, float):
        # 100.0 as 100, 85.71 as 85.71: as a spreadsheet shows it.
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def csv_chunks(entries: Iterable[LedgerEntry]) -> Iterator[str]:
    """The CSV, a line at a time, starting with the byte-order mark."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def line(cells: list) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([spreadsheet_safe(cell_text(cell)) for cell in cells])
        return buffer.getvalue()

    yield "\ufeff" + line(headings())
    for entry in entries:
        yield line(spreadsheet_values(entry))


def write_xlsx(entries: Iterable[LedgerEntry], output) -> int:
    """Write the XLSX workbook to a binary file; return how many rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="training-records")
    sheet.append(headings())
    rows = 0
    for entry in entries:
        cells = []
        for value in spreadsheet_values(entry):
            cell = WriteOnlyCell(sheet, value=value)
            if cell.data_type == "f":
                # openpyxl takes text starting with "=" for a formula.
                cell.data_type = "s"
            if isinstance(value, datetime.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm:ss"
            cells.append(cell)
        sheet.append(cells)
        rows += 1
    workbook.save(output)
    return rows


@dataclass
class XapiExport:
    """What an xAPI export left out, and why (filled in while it streams)."""

    written: int = 0
    skipped: list[tuple[LedgerEntry, str]] = field(default_factory=list)


def xapi_chunks(
    entries: Iterable[LedgerEntry], *, base_url: str, report: XapiExport
) -> Iterator[str]:
    """A JSON array of statements, a statement at a time."""
    yield "["
    for entry in entries:
        try:
            statement = xapi_statement(entry, base_url=base_url)
        except StatementSkipped as reason:
            report.skipped.append((entry, str(reason)))
            continue
        separator = ",\n" if report.written else "\n"
        report.written += 1
        yield separator + json.dumps(statement, ensure_ascii=False)
    yield "\n]\n"
