"""Attendance at an external drill from a CSV: the dry run names every row it
refuses and why; recording adds one ledger row and one audit entry per person
(acceptance 3)."""

import json
import os
import threading
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation
from wagtail.models import ModelLogEntry

from training.attendance import (
    AttendanceFileError,
    attendance_check,
    attendance_csv_decode,
    attendance_import,
)
from training.models import CompletionRecord
from training.requirements.selectors import Status, person_training
from training.services import TrainingError

from .conftest import days, person, sync, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(mandatory):
    people = [
        person(f"staff{number:02d}", staff_number=f"5{number:05d}")
        for number in range(30)
    ]
    sync()
    return people


def drill_csv(rows) -> str:
    return "職員番号,氏名,受講日\n" + "".join(f"{row}\n" for row in rows)


def thirty_and_one_bad(staff) -> str:
    day = today().strftime("%Y/%m/%d")
    rows = [f"{p.staff_profile.staff_number},{p.first_name},{day}" for p in staff]
    rows.insert(12, f"999999,不明 太郎,{day}")
    return drill_csv(rows)


def test_the_dry_run_names_the_bad_row_and_records_nothing(
    staff, drill, training_admin
):
    check = attendance_check(
        training=drill, text=thirty_and_one_bad(staff), by=training_admin
    )

    assert len(check.accepted) == 30
    [bad] = check.refused
    assert (bad.line, bad.staff_number) == (14, "999999")
    assert "999999" in bad.refusal
    assert not CompletionRecord.objects.exists()


def test_recording_adds_a_ledger_row_and_an_audit_entry_per_person(
    staff, drill, training_admin
):
    check = attendance_import(
        training=drill,
        text=thirty_and_one_bad(staff),
        by=training_admin,
        source="訓練参加者.csv",
    )

    assert check.recorded == 30
    records = CompletionRecord.objects.filter(kind="external", external_training=drill)
    assert records.count() == 30
    assert set(records.values_list("recorded_by", flat=True)) == {training_admin.pk}
    assert ModelLogEntry.objects.filter(action="gofun.training.external").count() == 30
    entry = ModelLogEntry.objects.get(action="gofun.training.attendance_import")
    assert entry.data == {"source": "訓練参加者.csv", "recorded": 30, "refused": 1}
    drill_state = next(
        state
        for state in person_training(user=staff[0]).current
        if state.requirement.external_training_id == drill.pk
    )
    assert drill_state.status == Status.COMPLETED


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (",名無し,{day}", "No staff number"),
        ("500000,重複,{day}", "already on line"),
        ("500001,日付誤り,2026-13-45", "not a date"),
        ("500002,未来,{future}", "in the future"),
        ("500002,年の誤り,0026-11-09", "before 2000-01-01"),
        ("700000,対象外,{day}", "not required"),
    ],
)
def test_each_row_refused_says_why(staff, drill, training_admin, row, reason):
    # Joining next month, the outsider owes no drill yet.
    later = today() + days(30)
    person("outsider", staff_number="700000", joined=later, since=later)
    sync()
    day = today().isoformat()
    future = (today() + days(3)).isoformat()
    text = drill_csv([f"500000,最初,{day}", row.format(day=day, future=future)])

    with translation.override("en"):
        check = attendance_check(training=drill, text=text, by=training_admin)

    [refused] = check.refused
    assert refused.line == 3
    assert reason in refused.refusal


def test_attendance_already_recorded_is_refused(staff, drill, training_admin):
    text = drill_csv([f"500003,既存,{today().isoformat()}"])
    attendance_import(training=drill, text=text, by=training_admin)

    check = attendance_check(training=drill, text=text, by=training_admin)

    assert [row.line for row in check.refused] == [2]
    assert CompletionRecord.objects.count() == 1


def test_a_shift_jis_file_from_excel_is_read():
    data = "職員番号,受講日\n500001,2026/11/01\n".encode("cp932")

    assert attendance_csv_decode(data).startswith("職員番号")


def test_a_file_without_the_header_is_refused_whole(drill, training_admin):
    with pytest.raises(AttendanceFileError):
        attendance_check(training=drill, text="500001,2026-11-01\n", by=training_admin)


def test_only_training_admins_may_check_or_record(staff, drill, learner):
    with pytest.raises(TrainingError):
        attendance_check(training=drill, text=thirty_and_one_bad(staff), by=learner)


def test_admin_dry_run_then_record(client, staff, drill, training_admin):
    client.force_login(training_admin)
    upload = SimpleUploadedFile(
        "drill.csv", thirty_and_one_bad(staff).encode("utf-8-sig"), "text/csv"
    )

    dry = client.post(
        reverse("training_attendance_import"),
        {"external_training": drill.pk, "file": upload, "action": "check"},
    )

    page = dry.content.decode()
    assert dry.status_code == 200
    assert "999999" in page
    assert not CompletionRecord.objects.exists()
    carried = dry.context["form"]["csv_text"].value()

    done = client.post(
        reverse("training_attendance_import"),
        {
            "external_training": drill.pk,
            "csv_text": carried,
            "source": "drill.csv",
            "action": "record",
        },
    )

    assert done.status_code == 200
    assert CompletionRecord.objects.filter(kind="external").count() == 30


def test_admin_import_refuses_a_bad_training_id_without_a_500(client, training_admin):
    client.force_login(training_admin)

    response = client.post(
        reverse("training_attendance_import"),
        {"external_training": "99999999999999999999999", "action": "check"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors


def test_a_learner_cannot_open_the_import(client, learner):
    client.force_login(learner)

    response = client.get(reverse("training_attendance_import"))

    assert response.status_code in (302, 403)


def test_the_command_lists_refusals_and_exits_2(staff, drill, training_admin, tmp_path):
    path = tmp_path / "drill.csv"
    path.write_text(thirty_and_one_bad(staff), encoding="utf-8")
    out = StringIO()

    with pytest.raises(CommandError) as refused:
        call_command(
            "import_training_attendance",
            str(path),
            training=drill.code,
            by=training_admin.username,
            dry_run=True,
            json=True,
            stdout=out,
        )

    assert refused.value.returncode == 2
    report = json.loads(out.getvalue())
    assert report["accepted"] == 30
    assert [row["staff_number"] for row in report["refused"]] == ["999999"]
    assert not CompletionRecord.objects.exists()


def test_the_command_records_the_accepted_rows(staff, drill, training_admin, tmp_path):
    path = tmp_path / "drill.csv"
    day = today().isoformat()
    path.write_text(drill_csv([f"500004,出席,{day}"]), encoding="utf-8")
    out = StringIO()

    call_command(
        "import_training_attendance",
        str(path),
        training=drill.code,
        by=training_admin.username,
        stdout=out,
    )

    assert CompletionRecord.objects.filter(kind="external").count() == 1
    assert "1" in out.getvalue()


def test_the_command_refuses_an_unknown_training(training_admin, tmp_path):
    path = tmp_path / "drill.csv"
    path.write_text("職員番号,受講日\n", encoding="utf-8")

    with pytest.raises(CommandError) as refused:
        call_command(
            "import_training_attendance",
            str(path),
            training="no-such-drill",
            by=training_admin.username,
            stdout=StringIO(),
        )

    assert refused.value.returncode == 2


def test_a_file_with_old_mac_line_endings_is_read(staff, drill, training_admin):
    day = today().isoformat()
    text = f"職員番号,受講日\r500005,{day}\r500006,{day}\r"

    check = attendance_check(training=drill, text=text, by=training_admin)

    assert [row.staff_number for row in check.accepted] == ["500005", "500006"]


def test_a_staff_number_typed_in_full_width_digits_is_found(
    staff, drill, training_admin
):
    text = drill_csv([f"５０００07,全角,{today().isoformat()}"])

    check = attendance_check(training=drill, text=text, by=training_admin)

    [row] = check.accepted
    assert (row.staff_number, row.user) == ("500007", staff[7])


def test_a_file_that_is_not_csv_says_on_which_line(drill, training_admin):
    text = "職員番号,受講日,備考\n500001,2026-11-01,ok\n500002,2026-11-01," + (
        "x" * 200_000
    )

    with translation.override("en"), pytest.raises(AttendanceFileError) as refused:
        attendance_check(training=drill, text=text, by=training_admin)

    assert "line 3" in str(refused.value)


def test_the_command_reads_no_more_of_an_endless_file_than_the_limit(
    drill, training_admin, tmp_path
):
    # A pipe that never ends (or /dev/zero, or a huge file named by mistake)
    # was read whole into memory, to its end, before its size was checked.
    pipe = tmp_path / "endless.csv"
    os.mkfifo(pipe)
    checked, closed = threading.Event(), threading.Event()

    def feed():
        writer = os.open(pipe, os.O_WRONLY)
        try:
            chunk = b"x" * 65536
            for _ in range(2 * 1024 * 1024 // len(chunk)):
                os.write(writer, chunk)
        except BrokenPipeError:
            pass
        finally:
            # Kept open (no end of file) until the test has its answer.
            checked.wait(timeout=30)
            closed.set()
            os.close(writer)

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    try:
        with pytest.raises(CommandError) as refused:
            call_command(
                "import_training_attendance",
                str(pipe),
                training=drill.code,
                by=training_admin.username,
                dry_run=True,
                stdout=StringIO(),
            )
        answered_before_the_end = not closed.is_set()
    finally:
        checked.set()
        feeder.join(timeout=60)

    assert answered_before_the_end
    assert refused.value.returncode == 2
    assert "1024 KB" in str(refused.value)
