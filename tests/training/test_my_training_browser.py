"""マイ研修 and the learner's records in a real Chromium: no serious axe-core
violation on a phone or a laptop, and the way on works from the keyboard and
without JavaScript."""

import re

import pytest
from django.urls import reverse

from tests.browser import axe_violations, live_database, needs_chromium, screenshot

from .conftest import after_role, days, make_curriculum, person, read, sync, today

pytestmark = [needs_chromium, live_database]
BOTH = pytest.mark.parametrize("device", ["phone", "laptop"])


@pytest.fixture
def new_pjmo(pjmo_series, drill):
    make_curriculum(
        role_code="pjmo",
        name="PJMO研修カリキュラム",
        items=[
            {"series": pjmo_series, **after_role(30)},
            {"external_training": drill, **after_role(90)},
        ],
    )
    pjmo = person(
        "pjmo", name="計画 三奈", roles=["general", "pjmo"], since=today() - days(6)
    )
    sync()
    return pjmo


@BOTH
def test_my_training_has_no_serious_violations(visit, new_pjmo, device):
    page = visit("/", user=new_pjmo, device=device).page
    page.get_by_role("heading", name="マイ研修").wait_for()
    violations = axe_violations(page)
    screenshot(page, f"axe-my-training-{device}")

    assert violations == []


START = re.compile(r"始める\W*PJMOのためのプロジェクト管理入門")


def arrived_at(lesson):
    # Page.url is percent-encoded already.
    return lambda url: url.endswith(lesson.url)


def test_the_way_on_is_a_link_the_keyboard_reaches(visit, new_pjmo, pjmo_series):
    lesson = pjmo_series.test_lessons[0]
    page = visit("/", user=new_pjmo, device="laptop").page

    page.get_by_role("link", name=START).focus()
    page.keyboard.press("Enter")
    page.wait_for_url(arrived_at(lesson), wait_until="domcontentloaded")

    assert page.url.endswith(lesson.url)


def test_the_way_on_works_without_javascript(visit, new_pjmo, pjmo_series):
    lesson = pjmo_series.test_lessons[0]
    page = visit("/", user=new_pjmo, device="phone", javascript=False).page

    page.get_by_role("link", name=START).click()
    page.wait_for_url(arrived_at(lesson), wait_until="domcontentloaded")

    assert page.url.endswith(lesson.url)


@BOTH
def test_the_records_page_has_no_serious_violations(
    visit, new_pjmo, pjmo_series, device
):
    read(pjmo_series.test_lessons[0], new_pjmo)
    page = visit(reverse("training:transcript"), user=new_pjmo, device=device).page
    page.get_by_role("heading", name="スキル認定").wait_for()
    violations = axe_violations(page)
    screenshot(page, f"axe-records-{device}")

    assert violations == []
