"""Certificate pages: reached from the records pages, shown to the holder and
training admins, verified by anyone signed in, 404 for anything else."""

import re

import pytest
from django.urls import reverse

from certificates.models import Certificate
from certificates.qr import qr_svg, verification_url
from certificates.services import certificate_issue_for_requirement
from tests.training.conftest import person
from training.services import completion_record_void

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(completed):
    learner, requirement, _ = completed
    return certificate_issue_for_requirement(requirement=requirement, by=learner)


def certificate_links(html: str) -> list[str]:
    return re.findall(r'href="(/certificates/(?:requirements|people)/[^"]+)"', html)


def test_the_learner_reaches_their_certificates_from_their_records(client, completed):
    learner, requirement, _ = completed
    client.force_login(learner)

    html = client.get(reverse("training:transcript")).content.decode()

    assert "修了証：情報セキュリティの基本ルール" in html
    assert certificate_links(html) == [
        reverse("certificates:requirement", args=[requirement.pk])
    ]


def test_training_admins_reach_a_person_s_certificates(
    client, completed, training_admin
):
    learner, requirement, _ = completed
    client.force_login(training_admin)

    html = client.get(reverse("training_staff", args=[learner.pk])).content.decode()

    assert reverse("certificates:requirement", args=[requirement.pk]) in html


def test_asking_for_a_certificate_issues_it_and_shows_it(client, completed):
    learner, requirement, _ = completed
    client.force_login(learner)

    response = client.get(reverse("certificates:requirement", args=[requirement.pk]))

    certificate = Certificate.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "certificates:certificate", args=[certificate.code]
    )
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "修了証" in html
    assert "一般 一郎 殿" in html
    assert "情報セキュリティの基本ルール" in html
    grouped = "-".join(certificate.code[i : i + 4] for i in range(0, 20, 4))
    assert grouped in html
    assert verification_url(certificate) in html
    assert "certificates/certificates.css" in html


def test_the_qr_code_is_inline_svg_of_the_verification_url(
    client, certificate, settings
):
    settings.WAGTAILADMIN_BASE_URL = "https://gofun.intra.example.go.jp"
    client.force_login(certificate.holder)

    response = client.get(reverse("certificates:certificate", args=[certificate.code]))
    html = response.content.decode()

    url = f"https://gofun.intra.example.go.jp/certificates/verify/{certificate.code}/"
    assert verification_url(certificate) == url
    svg = str(qr_svg(url, label="検証用アドレスの QR コード"))
    expected_path = re.search(r'<path[^>]*d="([^"]+)"', svg).group(1)
    assert f'd="{expected_path}"' in html
    assert '<svg role="img" aria-label="' in html
    assert "<script" not in html.split("<main", 1)[1]
    assert " style=" not in html
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_someone_else_s_certificate_is_not_found(client, completed, certificate):
    _, requirement, _ = completed
    colleague = person("colleague")
    client.force_login(colleague)

    for url in (
        reverse("certificates:certificate", args=[certificate.code]),
        reverse("certificates:requirement", args=[requirement.pk]),
        reverse(
            "certificates:certification",
            args=[certificate.holder.pk, requirement.curriculum.pk],
        ),
    ):
        response = client.get(url)
        assert response.status_code == 404
        assert "修了証が見つかりません" in response.content.decode()


def test_a_training_admin_may_open_anyone_s_certificate(
    client, certificate, training_admin
):
    client.force_login(training_admin)

    response = client.get(reverse("certificates:certificate", args=[certificate.code]))

    assert response.status_code == 200
    staff_page = reverse("training_staff", args=[certificate.holder.pk])
    assert f'href="{staff_page}">職員の研修記録</a>' in response.content.decode()


def test_an_item_not_completed_says_there_is_no_certificate(
    client, mandatory, security_series
):
    from tests.training.conftest import owed, sync

    fresh = person("fresh")
    sync()
    client.force_login(fresh)

    response = client.get(
        reverse(
            "certificates:requirement",
            args=[owed(fresh, series=security_series).get().pk],
        )
    )

    assert response.status_code == 404
    assert "まだ修了していない" in response.content.decode()
    assert not Certificate.objects.exists()


def test_any_member_of_staff_can_verify_a_certificate(client, certificate):
    colleague = person("colleague")
    client.force_login(colleague)

    response = client.get(reverse("certificates:verify", args=[certificate.code]))
    html = response.content.decode()

    assert response.status_code == 200
    assert "有効：この修了証は Gofun が発行したもので、現在も有効です。" in html
    assert "一般 一郎" in html
    assert "情報セキュリティの基本ルール" in html
    # What the paper does not show is not shown: no staff number, no records.
    assert certificate.holder.staff_profile.staff_number not in html


def test_after_a_void_the_verification_says_it_no_longer_holds(
    client, completed, certificate, training_admin
):
    _, _, records = completed
    completion_record_void(record=records[0], by=training_admin, reason="誤登録")
    colleague = person("colleague")

    client.force_login(colleague)
    as_colleague = client.get(
        reverse("certificates:verify", args=[certificate.code])
    ).content.decode()
    client.force_login(certificate.holder)
    as_holder = client.get(
        reverse("certificates:verify", args=[certificate.code])
    ).content.decode()

    for html in (as_colleague, as_holder):
        assert "無効：この修了証は Gofun が発行したものですが" in html
    # Why is for its holder (and training admins), not for every colleague.
    assert "取り消されました" in as_holder
    assert "取り消されました" not in as_colleague


def test_the_certificate_itself_says_when_it_no_longer_holds(
    client, completed, certificate, training_admin
):
    _, _, records = completed
    completion_record_void(record=records[0], by=training_admin, reason="誤登録")
    client.force_login(certificate.holder)

    html = client.get(
        reverse("certificates:certificate", args=[certificate.code])
    ).content.decode()

    assert "この修了証は現在有効ではありません。" in html
    assert 'class="certificate__void"' in html


@pytest.mark.parametrize(
    "code",
    ["0000-0000", "00000000000000000000", "%3Cscript%3E", "A" * 500, "%E2%80%AE%00"],
)
def test_a_malformed_or_unknown_code_is_a_clear_404(client, learner, code):
    client.force_login(learner)

    for name in ("certificates:verify", "certificates:certificate"):
        response = client.get(f"{reverse(name, args=['X']).rsplit('X', 1)[0]}{code}/")
        assert response.status_code == 404
        assert "この検証コードの修了証はありません" in response.content.decode()


def test_a_path_in_place_of_a_code_is_not_found(client, learner):
    client.force_login(learner)

    assert client.get("/certificates/verify/..%2F..%2Fadmin/").status_code == 404


def test_a_code_typed_in_the_form_leads_to_its_verification(client, certificate):
    client.force_login(certificate.holder)
    typed = certificate.code.lower()

    response = client.get(reverse("certificates:verify_form"), {"code": typed})

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "certificates:verify", args=[certificate.code]
    )


def test_a_mistyped_code_in_the_form_is_told_so(client, learner):
    client.force_login(learner)

    response = client.get(reverse("certificates:verify_form"), {"code": "12345"})

    assert response.status_code == 200
    assert "検証コードではありません" in response.content.decode()


def test_verification_needs_signing_in(client, certificate):
    response = client.get(reverse("certificates:verify", args=[certificate.code]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
