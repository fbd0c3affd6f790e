"""Attendance at an external training or drill, from a CSV of attendees.

The file: a header row, then one attendee a row. Columns are found by their
header, in English or Japanese, in any order; others (a name column, say)
are ignored:

    職員番号 (staff_number)   the attendee's staff number — required
    受講日 (completed_on)     the day attended, YYYY-MM-DD or YYYY/MM/DD — required
    備考 (note)               a note kept with the record — optional

UTF-8 (with or without a byte order mark) or Shift_JIS, as Excel in Japan
saves CSV. `attendance_check` is the dry run: it reads every row and says
which it would record and why it refuses each of the others; nothing is
written. `attendance_import` records the rows the check accepts (each one
through training.services.completion_record_external, so each is in the
ledger and the audit log) and logs the import on the training.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import unicodedata
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from organisation.models import StaffProfile

from .models import ExternalTraining, Requirement
from .permissions import may_record_attendance
from .services import (
    TrainingError,
    attendance_day_refusal,
    completion_record_external,
)

MAX_BYTES = 1024 * 1024
MAX_ROWS = 5000
IMPORT_ACTION = "gofun.training.attendance_import"

COLUMNS = {
    "staff_number": {"staff_number", "職員番号", "職員番号(必須)"},
    "completed_on": {"completed_on", "受講日", "実施日", "参加日"},
    "note": {"note", "備考"},
}
_DATE = re.compile(r"\A(\d{4})[-/](\d{1,2})[-/](\d{1,2})\Z")


class AttendanceFileError(Exception):
    """The file as a whole cannot be read; the message says why."""


@dataclass
class AttendanceRow:
    line: int
    staff_number: str
    completed_on: datetime.date | None = None
    note: str = ""
    user: object | None = None
    name: str = ""
    refusal: str = ""

    @property
    def accepted(self) -> bool:
        return not self.refusal


@dataclass
class AttendanceCheck:
    training: ExternalTraining
    rows: list[AttendanceRow] = field(default_factory=list)
    recorded: int = 0

    @property
    def accepted(self) -> list[AttendanceRow]:
        return [row for row in self.rows if row.accepted]

    @property
    def refused(self) -> list[AttendanceRow]:
        return [row for row in self.rows if not row.accepted]


def attendance_csv_decode(data: bytes) -> str:
    """The text of an uploaded CSV: UTF-8 (BOM or not), else Shift_JIS."""
    if len(data) > MAX_BYTES:
        raise AttendanceFileError(
            _("The file is larger than %(limit)d KB.") % {"limit": MAX_BYTES // 1024}
        )
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AttendanceFileError(
        _("The file is neither UTF-8 nor Shift_JIS text. Save it as CSV (UTF-8).")
    )


def _parse_date(text: str) -> datetime.date | None:
    match = _DATE.match(text.strip().replace("－", "-").replace("／", "/"))
    if not match:
        return None
    try:
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def _header(row: list[str]) -> dict[str, int]:
    found = {}
    for index, cell in enumerate(row):
        name = cell.strip().lstrip("\ufeff").lower()
        for column, names in COLUMNS.items():
            if name in names and column not in found:
                found[column] = index
    missing = [c for c in ("staff_number", "completed_on") if c not in found]
    if missing:
        raise AttendanceFileError(
            _(
                "The first row must name the columns: 職員番号 (staff_number) and "
                "受講日 (completed_on), and optionally 備考 (note)."
            )
        )
    return found


def _not_csv(reader) -> AttendanceFileError:
    return AttendanceFileError(
        _("The file is not valid CSV (line %(line)d).") % {"line": reader.line_num}
    )


def _staff_number(text: str) -> str:
    # Typed in Excel with a Japanese input method, digits are often full
    # width (５０００１); staff numbers are stored in ASCII.
    return unicodedata.normalize("NFKC", text).strip()[:40]


def _read_rows(text: str) -> list[AttendanceRow]:
    # newline="": the csv module itself reads every line ending (CR alone,
    # as older Excel for Mac saves, included) and newlines inside quotes.
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise AttendanceFileError(_("The file is empty.")) from None
    except csv.Error as error:
        raise _not_csv(reader) from error
    columns = _header(header)
    rows = []
    try:
        for line, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise AttendanceFileError(
                    _("The file has more than %(rows)d rows.") % {"rows": MAX_ROWS}
                )

            def cell(column: str, cells=cells) -> str:
                index = columns.get(column)
                return (
                    cells[index].strip()
                    if index is not None and index < len(cells)
                    else ""
                )

            date_text = cell("completed_on")
            row = AttendanceRow(
                line=line,
                staff_number=_staff_number(cell("staff_number")),
                note=cell("note")[:500],
            )
            row.completed_on = _parse_date(date_text)
            if not row.staff_number:
                row.refusal = _("No staff number.")
            elif row.completed_on is None:
                row.refusal = _(
                    "The day attended “%(text)s” is not a date (YYYY-MM-DD)."
                ) % {"text": date_text[:40]}
            rows.append(row)
    except csv.Error as error:
        raise _not_csv(reader) from error
    return rows


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def attendance_check(
    *, training: ExternalTraining, text: str, by, today: datetime.date | None = None
) -> AttendanceCheck:
    """The dry run: every row, with the reason each refused one is refused.

    A row is refused when its staff number is missing or unknown, its day is
    not a date, in the future or before 2000 (attendance_day_refusal), its
    person appears on an earlier row, the
    person is not required to attend this training (or the day is before the
    period their requirement counts from), or the attendance is already
    recorded. Raises AttendanceFileError for a file that cannot be read and
    TrainingError for someone who may not record attendance.
    """
    from .models import CompletionRecord

    if not may_record_attendance(by):
        raise TrainingError(_("You may not record attendance at trainings."))
    today = today or timezone.localdate()
    check = AttendanceCheck(training=training, rows=_read_rows(text))
    numbers = {row.staff_number for row in check.rows if row.staff_number}
    profiles = {
        profile.staff_number: profile
        for profile in StaffProfile.objects.filter(
            staff_number__in=numbers
        ).select_related("user")
    }
    users = [profile.user for profile in profiles.values()]
    required = {}
    for requirement in Requirement.objects.active().filter(
        external_training=training, user__in=users
    ):
        earliest = required.get(requirement.user_id)
        start = requirement.counts_from or datetime.date.min
        required[requirement.user_id] = (
            start if earliest is None else min(earliest, start)
        )
    recorded = set(
        CompletionRecord.objects.standing()
        .filter(
            kind=CompletionRecord.Kind.EXTERNAL,
            external_training=training,
            user__in=users,
        )
        .values_list("user_id", "completed_on")
    )
    first_line: dict[str, int] = {}
    for row in check.rows:
        profile = profiles.get(row.staff_number)
        if profile is not None:
            row.user = profile.user
            row.name = _name(profile.user)
        if row.refusal:
            continue
        if profile is None:
            row.refusal = _("No member of staff has the staff number %(number)s.") % {
                "number": row.staff_number
            }
        elif row.staff_number in first_line:
            row.refusal = _("%(name)s is already on line %(line)d.") % {
                "name": row.name,
                "line": first_line[row.staff_number],
            }
        elif attendance_day_refusal(row.completed_on, today=today):
            row.refusal = attendance_day_refusal(row.completed_on, today=today)
        elif profile.user_id not in required:
            row.refusal = _("%(name)s is not required to attend this training.") % {
                "name": row.name
            }
        elif row.completed_on < required[profile.user_id]:
            row.refusal = _(
                "%(day)s is before the period %(name)s owes this training for."
            ) % {"day": row.completed_on.isoformat(), "name": row.name}
        elif (profile.user_id, row.completed_on) in recorded:
            row.refusal = _("This attendance is already recorded.")
        if row.staff_number:
            first_line.setdefault(row.staff_number, row.line)
    return check


def attendance_import(
    *,
    training: ExternalTraining,
    text: str,
    by,
    source: str = "",
    today: datetime.date | None = None,
) -> AttendanceCheck:
    """Record the rows the dry run accepts, in one transaction, and log the
    import on the training; the refused rows are reported, not recorded."""
    with transaction.atomic():
        check = attendance_check(training=training, text=text, by=by, today=today)
        for row in check.accepted:
            try:
                completion_record_external(
                    user=row.user,
                    external_training=training,
                    completed_on=row.completed_on,
                    by=by,
                    note=row.note,
                )
            except TrainingError as error:
                row.refusal = str(error)
            else:
                check.recorded += 1
        log(
            instance=training,
            action=IMPORT_ACTION,
            user=by,
            data={
                "source": source[:200],
                "recorded": check.recorded,
                "refused": len(check.refused),
            },
        )
    return check
