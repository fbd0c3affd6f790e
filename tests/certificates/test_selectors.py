"""Whether a certificate still holds is read from the ledger each time: a
void, a material revision or a lapsed certification ends it."""

import pytest

from certificates.selectors import (
    Invalidity,
    certificate_by_code,
    certificate_verify,
    certificates_offered,
)
from certificates.services import (
    certificate_issue_for_certification,
    certificate_issue_for_requirement,
)
from organisation.models import JobRole, StaffProfile
from organisation.services import staff_role_end
from tests.training.conftest import days, person, today
from tests.training.test_material_change import publish_revision
from training.models import Curriculum
from training.requirements.selectors import person_training
from training.services import completion_record_void, requirement_waive

from .conftest import owed, sync

pytestmark = pytest.mark.django_db


@pytest.fixture
def item_certificate(completed):
    learner, requirement, _ = completed
    return certificate_issue_for_requirement(requirement=requirement, by=learner)


@pytest.fixture
def pjmo_certificate(certified):
    return certificate_issue_for_certification(
        holder=certified,
        curriculum=Curriculum.objects.get(role__code="pjmo"),
        by=certified,
    )


def test_an_issued_certificate_is_valid(item_certificate, pjmo_certificate):
    assert certificate_verify(certificate=item_certificate).valid
    assert certificate_verify(certificate=pjmo_certificate).valid


def test_voiding_a_record_it_rests_on_ends_it(
    completed, item_certificate, training_admin
):
    _, _, records = completed
    completion_record_void(record=records[1], by=training_admin, reason="誤登録")

    verification = certificate_verify(certificate=item_certificate)

    assert not verification.valid
    assert verification.invalidity == Invalidity.VOIDED
    assert "取り消されました" in verification.reason


def test_a_material_revision_that_reopens_the_item_ends_it(
    item_certificate,
    security_series,
    editor,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        publish_revision(security_series.test_lessons[0], material=True, editor=editor)

    verification = certificate_verify(certificate=item_certificate)

    assert verification.invalidity == Invalidity.RETRAINING


def test_a_certification_ends_with_the_role(certified, pjmo_certificate):
    profile = StaffProfile.objects.get(user=certified)
    staff_role_end(
        profile=profile, role=JobRole.objects.get(code="pjmo"), ended_on=today()
    )
    sync(user_ids=[certified.pk])

    assert certificate_verify(certificate=pjmo_certificate).invalidity == (
        Invalidity.LAPSED
    )


def test_a_certification_certificate_expires_after_its_date(pjmo_certificate):
    pjmo_certificate.valid_until = today()
    pjmo_certificate.save(update_fields=["valid_until"])

    assert certificate_verify(certificate=pjmo_certificate, today=today()).valid
    assert certificate_verify(
        certificate=pjmo_certificate, today=today() + days(1)
    ).invalidity == (Invalidity.EXPIRED)


def test_a_code_finds_its_certificate_as_typed(item_certificate):
    code = item_certificate.code
    typed = "-".join(code[i : i + 4] for i in range(0, 20, 4)).lower()

    assert certificate_by_code(code=typed) == item_certificate
    assert certificate_by_code(code="0" * 20) is None
    assert certificate_by_code(code="not a code") is None


def test_offers_are_certifications_and_completed_items_not_waivers(
    certified, drill, training_admin, mandatory
):
    sync()
    waived = owed(certified, external_training=drill, curriculum__role=None).get()
    requirement_waive(requirement=waived, by=training_admin, reason="長期派遣中")

    offers = certificates_offered(
        person=certified, training=person_training(user=certified)
    )

    assert (offers[0].kind, offers[0].title) == ("certification", "PJMO")
    assert offers[0].url.startswith("/certificates/people/")
    # The drill is met once for PJMO; waived for 必修, it has no certificate there.
    assert sorted((offer.kind, offer.title, offer.context) for offer in offers[1:]) == [
        ("item", "PJMOのためのプロジェクト管理入門", "PJMO研修カリキュラム"),
        ("item", "標的型メール訓練", "PJMO研修カリキュラム"),
    ]
    assert all(o.url.startswith("/certificates/requirements/") for o in offers[1:])


def test_nobody_else_is_offered_anything(completed):
    colleague = person("colleague")
    sync()

    assert (
        certificates_offered(person=colleague, training=person_training(user=colleague))
        == []
    )
