"""The HR export in the admin: training admins only, same files as the command."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from django.urls import reverse

from hr_export.exports import cell_text

from .conftest import BASE_URL, export_file

pytestmark = pytest.mark.django_db

URL = reverse("hr_export:training_records")


def download(client, export_format: str, **params) -> bytes:
    response = client.get(URL, {"export": export_format, **params})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def command_output(export_format: str, tmp_path) -> bytes:
    return export_file(
        export_format, tmp_path / f"records.{export_format}"
    ).read_bytes()


def test_training_admin_sees_every_record_with_the_people(
    client, training_admin, ledger
):
    client.force_login(training_admin)

    response = client.get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "読了 一郎" in page
    assert "合格 花子" in page
    assert "標的型メールの見分け方" in page
    # The person without a staff number is in the files but not in xAPI.
    assert "職員番号のない職員の記録が 1 件あります" in page


def test_the_report_is_in_the_training_admins_menu(client, training_admin):
    client.force_login(training_admin)

    response = client.get(reverse("wagtailadmin_home"))

    assert URL in response.content.decode()


@pytest.mark.parametrize("who", ["editor", "author", "learner"])
def test_people_who_may_not_read_the_ledger_cannot_export_it(
    client, request, ledger, who
):
    client.force_login(request.getfixturevalue(who))

    page = client.get(URL)
    csv_file = client.get(URL, {"export": "csv"})

    assert page.status_code in (302, 403)
    assert csv_file.status_code in (302, 403)
    assert "読了 一郎" not in csv_file.content.decode()


def test_editor_has_no_menu_item_for_it(client, editor):
    client.force_login(editor)

    response = client.get(reverse("wagtailadmin_home"))

    assert URL not in response.content.decode()


@pytest.mark.parametrize("export_format", ["csv", "xapi"])
def test_downloads_are_the_commands_files(
    client, training_admin, ledger, tmp_path, export_format
):
    client.force_login(training_admin)

    assert download(client, export_format) == command_output(export_format, tmp_path)


def test_xlsx_download_has_the_commands_rows(client, training_admin, ledger, tmp_path):
    client.force_login(training_admin)

    downloaded = openpyxl.load_workbook(io.BytesIO(download(client, "xlsx"))).active
    exported = openpyxl.load_workbook(
        io.BytesIO(command_output("xlsx", tmp_path))
    ).active

    def rows(sheet):
        return [
            [cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)
        ]

    assert rows(downloaded) == rows(exported)
    assert len(rows(downloaded)) == 1 + len(ledger.records)


def test_xapi_download_uses_the_sites_base_url(
    client, training_admin, ledger, settings
):
    settings.WAGTAILADMIN_BASE_URL = BASE_URL
    client.force_login(training_admin)

    statements = json.loads(download(client, "xapi"))

    assert {s["actor"]["account"]["homePage"] for s in statements} == {BASE_URL}
    assert len(statements) == 3


def test_date_filter_limits_the_download(client, training_admin, ledger):
    client.force_login(training_admin)

    data = download(client, "csv", since="2999-01-01").decode("utf-8-sig")

    assert data.count("\r\n") == 1  # the headings alone


def test_the_earliest_day_downloads_everything(client, training_admin, ledger):
    client.force_login(training_admin)

    data = download(client, "csv", since="0001-01-01").decode("utf-8-sig")

    assert data.count("\r\n") == 1 + len(ledger.records)


@pytest.mark.parametrize("bad", ["not-a-date", "2031-02-30", "<script>"])
def test_a_bad_date_downloads_nothing_and_says_why(client, training_admin, ledger, bad):
    client.force_login(training_admin)

    response = client.get(URL, {"export": "csv", "since": bad})

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert (
        "日付を正しく入力してからダウンロードしてください" in response.content.decode()
    )
    assert "読了 一郎,".encode() not in response.content
