"""The ニーズ分析 dashboard in Debian's Chromium with JavaScript off: charts and
tables are there, drawn by the server, and axe-core finds nothing serious in
them (acceptance 5)."""

import pytest
from django.urls import reverse

from analytics.models import role_key
from organisation.models import JobRole
from tests.browser import live_database, needs_chromium, screenshot
from tests.factories import make_lesson, make_series

from .conftest import make_view, staff

pytestmark = [needs_chromium, live_database]


@pytest.fixture
def readings():
    lesson = make_lesson(
        series=make_series(slug="mail"), title="添付ファイル", slides=4
    )
    general = role_key(
        JobRole.objects.filter(code="general").values_list("pk", flat=True)
    )
    for number in range(6):
        person = staff(f"reader-{number}", roles=["general"])
        make_view(
            lesson=lesson,
            user=person,
            furthest=number % 4 + 1,
            seconds=90,
            roles=general,
            division=person.staff_profile.division,
            post=person.staff_profile.post,
        )
    return lesson


def test_charts_and_tables_show_without_javascript(visit, editor, readings):
    opened = visit(
        reverse("analytics_needs_dashboard"),
        user=editor,
        device="laptop",
        javascript=False,
    )
    page = opened.page

    charts = page.locator("svg.needs-chart")
    assert charts.count() >= 5
    assert charts.first.is_visible()
    assert page.locator("svg.needs-chart rect.needs-chart__bar").count() > 0
    assert page.get_by_role("table", name="シリーズ別の閲覧数").is_visible()
    assert page.get_by_role(
        "table", name="スライドごとの離脱：添付ファイル"
    ).is_visible()
    assert page.get_by_role("img", name="シリーズ別の閲覧数").is_visible()
    assert opened.refused == []
    screenshot(page, "analytics-dashboard-without-javascript")


def test_the_dashboards_figures_have_no_serious_accessibility_violations(
    visit, editor, readings
):
    from tests.browser import AXE_SCRIPT

    if not AXE_SCRIPT.exists():
        pytest.fail(f"axe-core is missing ({AXE_SCRIPT}): run `npm ci`")
    page = visit(
        reverse("analytics_needs_dashboard"), user=editor, device="laptop"
    ).page
    page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8") + "\n;undefined")

    result = page.evaluate(
        "() => axe.run('.nice-padding', {resultTypes: ['violations']})"
    )

    serious = [
        (violation["id"], [node["target"] for node in violation["nodes"]])
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    assert serious == []
