"""マイ研修 on the home page: what the person owes first, each with its status,
due date and one click to go on; then certifications; then every series.
A learner who completes every PJMO item is certified (acceptance 5)."""

import re

import pytest
from django.urls import reverse

from quizzes.services import attempt_start
from tests.quizzes.conftest import make_checkpoint, seeded
from training.requirements.due_dates import fiscal_year_period
from training.requirements.selectors import person_training
from training.services import completion_record_external

from .conftest import (
    EVERY_YEAR,
    after_role,
    days,
    make_curriculum,
    person,
    read,
    sync,
    today,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def pjmo_curriculum(pjmo_series, drill):
    return make_curriculum(
        role_code="pjmo",
        name="PJMO研修カリキュラム",
        items=[
            {"series": pjmo_series, **after_role(30)},
            {"external_training": drill, **after_role(90), **EVERY_YEAR},
        ],
    )


@pytest.fixture
def new_pjmo(pjmo_curriculum):
    pjmo = person(
        "pjmo", name="計画 三奈", roles=["general", "pjmo"], since=today() - days(6)
    )
    sync()
    return pjmo


def home(client, user):
    client.force_login(user)
    return client.get("/")


def test_my_training_comes_first_on_the_home_page(client, new_pjmo):
    page = home(client, new_pjmo).content.decode()

    assert page.index("マイ研修") < page.index('id="series-heading"')
    assert "PJMOのためのプロジェクト管理入門" in page
    assert "未着手" in page
    assert f"期限 {(today() - days(6) + days(30)).isoformat()}" in page


def test_each_item_links_to_where_the_person_goes_on(client, new_pjmo, pjmo_series):
    response = home(client, new_pjmo)

    [series_item] = [
        item
        for item in response.context["panels"][0].context["owed"]
        if item.state.requirement.series_id
    ]
    assert series_item.action_url == pjmo_series.test_lessons[0].url
    assert series_item.action_label == "始める"
    page = response.content.decode()
    assert f'href="{pjmo_series.test_lessons[0].url}"' in page


def test_an_open_attempt_is_where_the_person_goes_on(client, pjmo_series):
    lesson = pjmo_series.test_lessons[0]
    checkpoint = make_checkpoint(lesson=lesson)
    make_curriculum(role_code="pjmo", items=[{"lesson": lesson, **after_role(30)}])
    pjmo = person("pjmo", roles=["general", "pjmo"], since=today() - days(1))
    sync()
    attempt = attempt_start(checkpoint=checkpoint, user=pjmo, rng=seeded(3))

    response = home(client, pjmo)

    [item] = response.context["panels"][0].context["owed"]
    assert item.action_url == reverse(
        "quizzes:attempt", kwargs={"attempt_id": attempt.pk}
    )
    assert "受講中" in response.content.decode()


def test_someone_owing_nothing_is_told_so(client, learner):
    page = home(client, learner).content.decode()

    assert "現在、受講が必要な研修はありません。" in page


def test_completing_every_pjmo_item_certifies_for_pjmo(
    client, new_pjmo, pjmo_series, drill, training_admin
):
    read(pjmo_series.test_lessons[0], new_pjmo)
    assert not person_training(user=new_pjmo).certifications
    completion_record_external(
        user=new_pjmo, external_training=drill, completed_on=today(), by=training_admin
    )

    [certification] = person_training(user=new_pjmo).certifications

    assert certification.role.code == "pjmo"
    assert certification.certified_on == today()
    # The drill recurs yearly: the certification holds to the end of the year.
    assert certification.valid_until == fiscal_year_period(today()).end
    home_page = home(client, new_pjmo).content.decode()
    assert "認定：PJMO" in home_page
    transcript = client.get(reverse("training:transcript")).content.decode()
    assert "認定：PJMO" in transcript
    client.force_login(training_admin)
    staff_page = client.get(
        reverse("training_staff", args=[new_pjmo.pk])
    ).content.decode()
    assert re.search(r"PJMO", staff_page) and today().isoformat() in staff_page
    report = client.get(reverse("training_reports:certifications"))
    assert [row.profile.user for row in report.context["object_list"]] == [new_pjmo]


def test_no_certification_while_an_item_is_missing(new_pjmo, pjmo_series):
    read(pjmo_series.test_lessons[0], new_pjmo)

    assert person_training(user=new_pjmo).certifications == []


def test_the_learner_s_records_list_every_kind(
    client, new_pjmo, pjmo_series, drill, training_admin
):
    read(pjmo_series.test_lessons[0], new_pjmo)
    completion_record_external(
        user=new_pjmo,
        external_training=drill,
        completed_on=today() - days(1),
        by=training_admin,
    )
    client.force_login(new_pjmo)

    page = client.get(reverse("training:transcript")).content.decode()

    assert "PJMOの役割" in page
    assert "標的型メール訓練" in page
    assert f"{(today() - days(1)).isoformat()} 受講" in page
