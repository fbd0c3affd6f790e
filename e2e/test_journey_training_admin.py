"""Journey: a training admin records a drill, sees the matrix change, exports.

The training admin (研修担当) opens 研修管理 → 受講状況マトリクス for the
embassy in the United States and finds 在外 五月 (learner-mission, staff
number 100005) still owing the phishing drill (標的型メール訓練). They record
her attendance (受講を記録), find the matrix changed to 修了, and download
the HR export as CSV, XLSX and xAPI: the attendance is in each file, the
XLSX opens with openpyxl with the CSV's rows, the xAPI file is a JSON array
of statements, hers among them under her staff number.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import openpyxl
from playwright.sync_api import expect

from e2e.browser import assert_accessible

STAFF_NUMBER = "100005"
NAME = "在外 五月"
POST = "在アメリカ合衆国日本国大使館"
DRILL = "標的型メール訓練"
# Yesterday in UTC is never a future day in the site's time zone (Asia/Tokyo),
# and falls within the period she owes the drill for (she joined 20 days ago).
ATTENDED_ON = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()


def matrix_cell(page, *, staff_number: str, column: str):
    """The matrix's cell for one person and one item, found by its heading."""
    headings = page.locator("table thead th").all_inner_texts()
    index = [heading.strip() for heading in headings].index(column)
    row = page.locator("table tbody tr").filter(has_text=staff_number)
    return row.locator("td").nth(index)


def open_matrix(trainer):
    page = trainer.go("/admin/")
    page.get_by_role("button", name="研修管理").click()
    page.get_by_role("link", name="受講状況マトリクス").click()
    page.wait_for_load_state()
    # Filtered to one post, as the filter in the report's drawer does.
    post = page.locator("#id_post option", has_text=POST).get_attribute("value")
    return trainer.go(f"/admin/training/reports/matrix/?post={post}")


def download(page, label: str) -> bytes:
    actions = page.get_by_role("button", name="操作")
    if actions.get_attribute("aria-expanded") != "true":
        actions.click()
    with page.expect_download() as started:
        page.get_by_role("link", name=label).click()
    page.keyboard.press("Escape")
    expect(actions).to_have_attribute("aria-expanded", "false")
    return started.value.path().read_bytes()


def test_training_admin_records_a_drill_sees_the_matrix_change_and_exports(person):
    trainer = person("trainer")
    page = open_matrix(trainer)
    cell = matrix_cell(page, staff_number=STAFF_NUMBER, column=DRILL)
    expect(cell).to_contain_text("未着手")
    cell.scroll_into_view_if_needed()
    trainer.shot("training-admin-01-matrix-before")

    # 受講を記録: her attendance at the drill, yesterday.
    page = trainer.go("/admin/")
    page.get_by_role("button", name="研修管理").click()
    page.get_by_role("link", name="受講を記録").click()
    page.wait_for_load_state()
    page.locator("#id_staff_number").fill(STAFF_NUMBER)
    page.locator("#id_external_training").select_option(label=DRILL)
    page.locator("#id_completed_on").fill(ATTENDED_ON)
    page.keyboard.press("Escape")
    page.locator("#id_note").fill("11月の訓練（在外公館向け）")
    trainer.shot("training-admin-02-record-attendance")
    assert_accessible(trainer, "attendance form filled in")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator(".messages")).to_contain_text(NAME)
    trainer.shot("training-admin-03-attendance-recorded")
    assert_accessible(trainer, "attendance recorded")

    # The matrix has changed.
    page = open_matrix(trainer)
    cell = matrix_cell(page, staff_number=STAFF_NUMBER, column=DRILL)
    expect(cell).to_contain_text("修了")
    expect(cell).to_contain_text(ATTENDED_ON)
    cell.scroll_into_view_if_needed()
    trainer.shot("training-admin-04-matrix-after")
    assert_accessible(trainer, "compliance matrix for one post")

    # The HR export, in its three formats.
    page = trainer.go("/admin/")
    page.get_by_role("button", name="研修管理").click()
    page.get_by_role("link", name="人事向け修了記録").click()
    page.wait_for_load_state()
    trainer.shot("training-admin-05-hr-export")

    rows = list(csv.reader(io.StringIO(download(page, "CSV をダウンロード").decode())))
    header = [heading.lstrip("\ufeff") for heading in rows[0]]
    records = [dict(zip(header, row, strict=True)) for row in rows[1:]]
    hers = [
        record
        for record in records
        if record["職員番号"] == STAFF_NUMBER and record["研修項目"] == DRILL
    ]
    assert [(record["種別"], record["日付"][:10]) for record in hers] == [
        ("external", ATTENDED_ON)
    ]

    workbook = openpyxl.load_workbook(io.BytesIO(download(page, "XLSX をダウンロード")))
    sheet = workbook.worksheets[0]
    sheet_rows = [
        ["" if value is None else str(value) for value in row]
        for row in sheet.iter_rows(values_only=True)
    ]
    assert sheet_rows[0] == header
    assert len(sheet_rows) == len(rows)
    assert [STAFF_NUMBER, DRILL, "external"] in [
        [row[header.index(column)] for column in ("職員番号", "研修項目", "種別")]
        for row in sheet_rows[1:]
    ]

    statements = json.loads(download(page, "xAPI ステートメント（JSON）をダウンロード"))
    assert isinstance(statements, list)
    assert statements
    drill_statements = [
        statement
        for statement in statements
        if statement["actor"]["account"]["name"] == STAFF_NUMBER
        and DRILL in statement["object"]["definition"]["name"]["ja-JP"]
    ]
    assert len(drill_statements) == 1
    statement = drill_statements[0]
    assert statement["verb"]["id"] == "http://adlnet.gov/expapi/verbs/completed"
    assert statement["timestamp"].startswith(ATTENDED_ON)
    trainer.shot("training-admin-06-exports-downloaded")
