"""Issuing certificates: for a completed item or a held certification, never
for a waiver or a voided record, to the holder or a training admin."""

import pytest
from django.core.exceptions import PermissionDenied

from certificates.models import Certificate
from certificates.services import (
    CertificateUnavailable,
    certificate_issue_for_certification,
    certificate_issue_for_requirement,
)
from tests.training.conftest import owed, person, read, sync, today
from training.models import Curriculum
from training.requirements.due_dates import fiscal_year_period
from training.services import completion_record_void, requirement_waive

pytestmark = pytest.mark.django_db


def test_a_completed_item_has_a_certificate_of_what_and_when(completed):
    learner, requirement, records = completed

    certificate = certificate_issue_for_requirement(requirement=requirement, by=learner)

    assert certificate.kind == Certificate.Kind.ITEM
    assert certificate.holder == learner
    assert certificate.holder_name == "一般 一郎"
    assert certificate.title == "情報セキュリティの基本ルール"
    assert certificate.context == "必修研修"
    assert certificate.completed_on == today()
    assert sorted(certificate.record_ids) == sorted(r.pk for r in records)
    assert len(certificate.code) == 20
    assert certificate.issued_by == learner


def test_a_yearly_item_s_certificate_names_its_period(completed):
    learner, requirement, _ = completed

    certificate = certificate_issue_for_requirement(requirement=requirement, by=learner)

    period = fiscal_year_period(today())
    assert (certificate.period_start, certificate.period_end) == (
        period.start,
        period.end,
    )


def test_asking_again_gives_the_same_certificate(completed):
    learner, requirement, _ = completed

    first = certificate_issue_for_requirement(requirement=requirement, by=learner)
    again = certificate_issue_for_requirement(requirement=requirement, by=learner)

    assert again.pk == first.pk
    assert Certificate.objects.count() == 1


def test_an_item_not_completed_has_no_certificate(mandatory, security_series):
    fresh = person("fresh")
    sync()

    with pytest.raises(CertificateUnavailable, match="まだ修了していない"):
        certificate_issue_for_requirement(
            requirement=owed(fresh, series=security_series).get(), by=fresh
        )


def test_a_waived_item_has_no_certificate(mandatory, drill, training_admin):
    learner = person("learner")
    sync()
    requirement = owed(learner, external_training=drill).get()
    requirement_waive(requirement=requirement, by=training_admin, reason="長期派遣中")

    with pytest.raises(CertificateUnavailable, match="免除"):
        certificate_issue_for_requirement(requirement=requirement, by=learner)


def test_a_voided_record_has_no_certificate_and_a_new_completion_a_new_one(
    completed, training_admin, security_series
):
    learner, requirement, records = completed
    old = certificate_issue_for_requirement(requirement=requirement, by=learner)
    completion_record_void(record=records[0], by=training_admin, reason="誤登録")

    with pytest.raises(CertificateUnavailable):
        certificate_issue_for_requirement(requirement=requirement, by=learner)

    again = read(security_series.test_lessons[0], learner)
    new = certificate_issue_for_requirement(requirement=requirement, by=learner)
    assert new.pk != old.pk
    assert new.code != old.code
    assert again.pk in new.record_ids
    assert records[0].pk not in new.record_ids


def test_only_the_holder_and_training_admins_may_have_it_issued(
    completed, training_admin, editor
):
    learner, requirement, _ = completed
    colleague = person("colleague")

    for outsider in (colleague, editor):
        with pytest.raises(PermissionDenied):
            certificate_issue_for_requirement(requirement=requirement, by=outsider)
    issued = certificate_issue_for_requirement(
        requirement=requirement, by=training_admin
    )
    assert (issued.holder, issued.issued_by) == (learner, training_admin)


def test_a_held_certification_has_a_certificate(certified):
    curriculum = Curriculum.objects.get(role__code="pjmo")

    certificate = certificate_issue_for_certification(
        holder=certified, curriculum=curriculum, by=certified
    )

    assert certificate.kind == Certificate.Kind.CERTIFICATION
    assert certificate.title == "PJMO"
    assert certificate.context == "PJMO研修カリキュラム"
    assert certificate.completed_on == today()
    assert len(certificate.record_ids) == 2


def test_a_certification_not_held_has_no_certificate(pjmo_curriculum):
    newcomer = person("newcomer", roles=["general", "pjmo"])
    curriculum = Curriculum.objects.get(role__code="pjmo")

    with pytest.raises(CertificateUnavailable, match="スキル認定"):
        certificate_issue_for_certification(
            holder=newcomer, curriculum=curriculum, by=newcomer
        )
