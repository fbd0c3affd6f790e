"""Compliance for training admins: the staff × item matrix, completion rates,
the overdue list and certifications, each exportable as CSV and XLSX
(acceptance 4)."""

import csv
import io

import openpyxl
import pytest
from django.test import override_settings
from django.urls import reverse

from cms.spreadsheets import FORMULA_STARTS
from tests.factories import DivisionFactory
from training.requirements.selectors import Status
from training.services import completion_record_external, requirement_waive

from .conftest import (
    after_joining,
    after_role,
    days,
    make_curriculum,
    owed,
    person,
    read,
    sync,
    today,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def mandatory_once(security_series, drill):
    """必修 that does not recur, so that long-serving staff are overdue on
    any day of the year."""
    return make_curriculum(
        items=[
            {"series": security_series, **after_joining(30)},
            {"external_training": drill, **after_joining(60)},
        ]
    )


@pytest.fixture
def divisions(mandatory_once, security_series, drill, training_admin):
    """会計課: one done, one waived, one overdue (and a hostile name);
    総務課: two who have done nothing."""
    accounting = DivisionFactory(code="accounting", name="会計課")
    general = DivisionFactory(code="general-affairs", name="総務課")
    done = person("done", name="完了 一子", division=accounting)
    waived = person("waived", name="免除 二郎", division=accounting)
    hostile = person("hostile", name='=HYPERLINK("http://x","y")', division=accounting)
    others = [person(f"ga{n}", name=f"総務 {n}郎", division=general) for n in range(2)]
    sync()
    for lesson in security_series.test_lessons:
        read(lesson, done)
    completion_record_external(
        user=done, external_training=drill, completed_on=today(), by=training_admin
    )
    requirement_waive(
        requirement=owed(waived, series=security_series).get(),
        by=training_admin,
        reason="長期派遣中",
    )
    return {
        "accounting": accounting,
        "general": general,
        "done": done,
        "waived": waived,
        "hostile": hostile,
        "others": others,
    }


def matrix(client, **params):
    return client.get(reverse("training_reports:matrix"), params)


def csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def xlsx_rows(response) -> list[list[str]]:
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [
        ["" if cell is None else str(cell) for cell in row]
        for row in workbook.active.iter_rows(values_only=True)
    ]


def test_the_mandatory_matrix_for_one_division_shows_each_person_s_status(
    client, divisions, training_admin, security_series
):
    client.force_login(training_admin)

    response = matrix(client, division=divisions["accounting"].pk)

    page = response.content.decode()
    assert response.status_code == 200
    assert "完了 一子" in page and "免除 二郎" in page
    assert "総務 0郎" not in page
    rows = {
        profile.user.username: [
            cell.status if cell else None for cell in profile.matrix_cells
        ]
        for profile in response.context["object_list"]
    }
    assert rows["done"] == [Status.COMPLETED, Status.COMPLETED]
    assert rows["waived"][0] == Status.WAIVED
    assert rows["hostile"] == [Status.OVERDUE, Status.OVERDUE]
    assert security_series.title in page


def test_csv_and_xlsx_carry_the_same_rows_and_no_formula(
    client, divisions, training_admin
):
    client.force_login(training_admin)
    division = divisions["accounting"].pk

    from_csv = csv_rows(matrix(client, division=division, export="csv"))
    from_xlsx = xlsx_rows(matrix(client, division=division, export="xlsx"))

    assert from_csv == from_xlsx
    assert len(from_csv) == 1 + 3
    assert from_csv[0][:2] == ["職員番号", "氏名"]
    cells = [cell for row in from_csv for cell in row]
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    assert any(cell.startswith("'=HYPERLINK") for cell in cells)


def test_the_matrix_filters_by_role_and_post(client, divisions, training_admin):
    pjmo = person("a-pjmo", roles=["general", "pjmo"], division=divisions["general"])
    sync()
    client.force_login(training_admin)
    from organisation.models import JobRole

    response = matrix(client, role=JobRole.objects.get(code="pjmo").pk)

    names = [p.user.username for p in response.context["object_list"]]
    assert names == [pjmo.username]


def test_a_bad_filter_value_is_no_500(client, divisions, training_admin):
    client.force_login(training_admin)

    response = matrix(client, division="99999999999999999999999", role="x")

    assert response.status_code == 200


@override_settings(GOFUN_PRIVACY_MIN_GROUP_SIZE=3)
def test_rates_by_division_hide_groups_smaller_than_k(client, divisions, editor):
    client.force_login(editor)

    response = client.get(reverse("training_reports:rates"), {"breakdown": "division"})

    rows = {row.group: row for row in response.context["object_list"]}
    # 総務課 has two people: left out, and with it the smallest other group,
    # so that it cannot be worked out from the total.
    assert "総務課" not in rows
    assert "会計課" not in rows
    assert rows["全職員"].people == 5
    assert response.context["hidden_groups"] == 2


@override_settings(GOFUN_PRIVACY_MIN_GROUP_SIZE=2)
def test_rates_count_what_is_met(client, divisions, editor):
    client.force_login(editor)

    response = client.get(reverse("training_reports:rates"), {"breakdown": "division"})

    rows = {row.group: row for row in response.context["object_list"]}
    accounting = rows["会計課"]
    assert (accounting.people, accounting.required, accounting.met) == (3, 6, 3)
    assert accounting.rate == 50.0


@override_settings(GOFUN_PRIVACY_MIN_GROUP_SIZE=2)
def test_rates_export_as_csv(client, divisions, training_admin):
    client.force_login(training_admin)

    rows = csv_rows(
        client.get(
            reverse("training_reports:rates"),
            {"breakdown": "division", "export": "csv"},
        )
    )

    assert rows[0] == [
        "グループ",
        "人数",
        "対象件数",
        "修了・免除",
        "修了率（%）",
        "期限超過",
    ]
    assert ["会計課", "3", "6", "3", "50.0", "3"] in rows


def test_the_overdue_list_says_how_many_days(client, divisions, training_admin):
    late = person("late", name="遅延 三郎", since=today() - days(400))
    sync()
    client.force_login(training_admin)

    response = client.get(reverse("training_reports:overdue"))

    rows = [row for row in response.context["object_list"] if row.profile.user == late]
    assert rows
    requirement = rows[0].state.requirement
    assert rows[0].days_overdue == (today() - requirement.due_on).days > 0
    assert "遅延 三郎" in response.content.decode()


def test_certifications_are_in_the_hr_view(client, pjmo_series, training_admin):
    make_curriculum(role_code="pjmo", items=[{"series": pjmo_series, **after_role(30)}])
    certified = person("certified", name="認定 四郎", roles=["general", "pjmo"])
    sync()
    read(pjmo_series.test_lessons[0], certified)
    client.force_login(training_admin)

    response = client.get(reverse("training_reports:certifications"))

    [row] = response.context["object_list"]
    assert (row.profile.user, row.role, row.certified_on) == (
        certified,
        "PJMO",
        today(),
    )
    assert "認定 四郎" in response.content.decode()


def test_the_matrix_without_any_curriculum_says_so(client, training_admin):
    person("someone")
    client.force_login(training_admin)

    for export in ("", "csv"):
        response = matrix(client, **({"export": export} if export else {}))
        assert response.status_code == 200
    assert (
        "公開された研修カリキュラムはまだありません。"
        in matrix(client).content.decode()
    )
