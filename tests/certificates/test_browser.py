"""In Chromium: a certificate prints on one page of A4, its verification URL
confirms it, and after the record is voided the URL says it no longer
holds (acceptance 3); axe-core finds no serious or critical violation on the
certificate and verification pages."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests.browser import axe_violations, live_database, needs_chromium, screenshot
from tests.training.conftest import person
from training.services import completion_record_void

pytestmark = [needs_chromium, live_database]
BOTH = pytest.mark.parametrize("device", ["phone", "laptop"])


@pytest.fixture
def site_url(settings, live_server):
    """The printed verification URL points at the live server."""
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    return live_server.url


def pdf_pages(pdf: bytes) -> list:
    return PdfReader(io.BytesIO(pdf)).pages


def test_a_certificate_prints_on_one_a4_page_and_its_url_confirms_it(
    visit, completed, training_admin, site_url
):
    learner, requirement, records = completed
    opened = visit(
        reverse("certificates:requirement", args=[requirement.pk]),
        user=learner,
        device="laptop",
    )
    page = opened.page
    page.get_by_role("heading", name="修了証").wait_for()
    screenshot(page, "certificate-laptop")

    pages = pdf_pages(page.pdf(format="A4"))

    assert len(pages) == 1
    width, height = (float(value) for value in pages[0].mediabox.upper_right)
    assert abs(width - 595) < 2 and abs(height - 842) < 2  # A4 in points
    verification_url = page.get_by_role(
        "link", name="この修了証を確認する"
    ).get_attribute("href")
    assert verification_url.startswith(site_url + "/certificates/verify/")
    assert opened.refused == []

    colleague = person("colleague")
    check = visit(
        verification_url.removeprefix(site_url), user=colleague, device="phone"
    ).page
    assert "有効：この修了証は Gofun が発行したもので、現在も有効です。" in (
        check.content()
    )

    completion_record_void(record=records[0], by=training_admin, reason="誤登録")
    check.reload()
    assert "無効：この修了証は Gofun が発行したものですが" in check.content()
    screenshot(check, "certificate-verify-void-phone")


def test_a_long_title_and_name_still_print_on_one_page(visit, completed, site_url):
    from certificates.models import Certificate
    from certificates.services import certificate_issue_for_requirement

    learner, requirement, _ = completed
    certificate = certificate_issue_for_requirement(requirement=requirement, by=learner)
    Certificate.objects.filter(pk=certificate.pk).update(
        holder_name="長い氏名" * 12,
        title="標的型メール攻撃とその対策についての基礎から応用まで" * 6,
        context="必修研修（全職員・本省および在外公館）" * 4,
    )
    page = visit(
        reverse("certificates:certificate", args=[certificate.code]),
        user=learner,
        device="laptop",
    ).page

    assert len(pdf_pages(page.pdf(format="A4"))) == 1


@BOTH
def test_the_certificate_and_verification_pages_have_no_serious_violations(
    visit, completed, training_admin, site_url, device
):
    learner, requirement, records = completed
    page = visit(
        reverse("certificates:requirement", args=[requirement.pk]),
        user=learner,
        device=device,
    ).page
    found = {"certificate": axe_violations(page)}
    page.get_by_role("link", name="この修了証を確認する").click()
    page.get_by_role("heading", name="修了証の確認").wait_for()
    found["verification"] = axe_violations(page)
    completion_record_void(record=records[0], by=training_admin, reason="誤登録")
    page.reload()
    found["no longer valid"] = axe_violations(page)
    page.goto(site_url + "/certificates/verify/0000-0000/")
    found["not found"] = axe_violations(page)
    page.goto(site_url + reverse("training:transcript"))
    found["records with certificates"] = axe_violations(page)
    screenshot(page, f"axe-certificates-{device}")

    assert found == {state: [] for state in found}
