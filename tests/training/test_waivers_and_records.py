"""Training admins waive a requirement (免除) with a reason and evidence, and
record attendance one by one: each is a ledger row of its own, in the audit
log, on the learner's records and in the staff view."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from wagtail.models import CollectionViewRestriction, ModelLogEntry

from training.models import CompletionRecord
from training.requirements.selectors import Status, requirement_states
from training.services import (
    EVIDENCE_COLLECTION,
    TrainingError,
    completion_record_external,
    completion_record_void,
    requirement_waive,
)

from .conftest import days, owed, person, sync, today

pytestmark = pytest.mark.django_db

REASON = "前職で同等の研修を修了済み（修了証の写しを確認）"


@pytest.fixture
def learner_owing(mandatory, security_series):
    learner = person("owing", name="免除 花子", staff_number="300001")
    sync()
    return learner


@pytest.fixture
def requirement(learner_owing, security_series):
    return owed(learner_owing, series=security_series).get()


def test_a_waiver_is_a_ledger_row_with_reason_in_the_audit_log(
    requirement, training_admin
):
    record = requirement_waive(
        requirement=requirement, by=training_admin, reason=REASON
    )

    assert (record.kind, record.requirement, record.reason) == (
        "waived",
        requirement,
        REASON,
    )
    assert record.series_id == requirement.series_id
    entry = ModelLogEntry.objects.get(action="gofun.training.waive")
    assert entry.user == training_admin
    assert entry.data["reason"] == REASON
    assert requirement_states([requirement])[0].status == Status.WAIVED


def test_a_waiver_needs_a_reason_and_the_permission(
    requirement, training_admin, editor
):
    with pytest.raises(TrainingError):
        requirement_waive(requirement=requirement, by=training_admin, reason="  ")
    with pytest.raises(TrainingError):
        requirement_waive(requirement=requirement, by=editor, reason=REASON)
    with pytest.raises(TrainingError):
        requirement_waive(
            requirement=requirement, by=requirement.user, reason="自分で免除"
        )

    assert not CompletionRecord.objects.exists()


def test_a_requirement_is_waived_once(requirement, training_admin):
    requirement_waive(requirement=requirement, by=training_admin, reason=REASON)

    with pytest.raises(TrainingError):
        requirement_waive(requirement=requirement, by=training_admin, reason="再度")


def test_voiding_a_waiver_makes_the_requirement_owed_again(requirement, training_admin):
    waiver = requirement_waive(
        requirement=requirement, by=training_admin, reason=REASON
    )

    completion_record_void(record=waiver, by=training_admin, reason="誤って免除")

    assert requirement_states([requirement])[0].status != Status.WAIVED
    assert ModelLogEntry.objects.filter(action="gofun.training.void").count() == 1


def test_waiving_in_the_admin_keeps_the_evidence_for_training_admins_only(
    client, requirement, training_admin
):
    client.force_login(training_admin)
    evidence = SimpleUploadedFile("修了証.pdf", b"%PDF-1.4 evidence", "application/pdf")

    response = client.post(
        reverse("training_requirement_waive", args=[requirement.pk]),
        {"reason": REASON, "evidence": evidence},
    )

    assert response.status_code == 302
    record = CompletionRecord.objects.get(kind="waived")
    document = record.evidence
    assert document.collection.name == EVIDENCE_COLLECTION
    restriction = CollectionViewRestriction.objects.get(collection=document.collection)
    assert list(restriction.groups.values_list("name", flat=True)) == ["研修担当"]


def test_the_learner_cannot_open_the_evidence(client, requirement, training_admin):
    client.force_login(training_admin)
    client.post(
        reverse("training_requirement_waive", args=[requirement.pk]),
        {
            "reason": REASON,
            "evidence": SimpleUploadedFile(
                "cert.pdf", b"%PDF-1.4 x", "application/pdf"
            ),
        },
    )
    document = CompletionRecord.objects.get(kind="waived").evidence
    client.force_login(requirement.user)

    response = client.get(document.url)

    assert response.status_code in (302, 403, 404)


def test_evidence_of_a_refused_type_is_refused(client, requirement, training_admin):
    client.force_login(training_admin)

    response = client.post(
        reverse("training_requirement_waive", args=[requirement.pk]),
        {"reason": REASON, "evidence": SimpleUploadedFile("a.exe", b"MZ", "x/y")},
    )

    assert response.status_code == 200
    assert "evidence" in response.context["form"].errors
    assert not CompletionRecord.objects.exists()


def test_a_learner_cannot_open_the_waiver_form(client, requirement):
    client.force_login(requirement.user)

    response = client.get(reverse("training_requirement_waive", args=[requirement.pk]))

    assert response.status_code in (302, 403)


def test_recording_attendance_one_by_one(client, learner_owing, drill, training_admin):
    client.force_login(training_admin)

    response = client.post(
        reverse("training_external_record"),
        {
            "staff_number": "300001",
            "external_training": drill.pk,
            "completed_on": today().isoformat(),
            "note": "追加実施分",
        },
    )

    assert response.status_code == 302
    record = CompletionRecord.objects.get(kind="external")
    assert (record.user, record.completed_on, record.reason) == (
        learner_owing,
        today(),
        "追加実施分",
    )
    assert ModelLogEntry.objects.filter(action="gofun.training.external").exists()


def test_attendance_for_an_unknown_staff_number_is_refused_by_the_form(
    client, drill, training_admin
):
    client.force_login(training_admin)

    response = client.post(
        reverse("training_external_record"),
        {
            "staff_number": "000000",
            "external_training": drill.pk,
            "completed_on": today().isoformat(),
        },
    )

    assert response.status_code == 200
    assert "staff_number" in response.context["form"].errors


def test_attendance_in_the_future_is_refused(learner_owing, drill, training_admin):
    with pytest.raises(TrainingError):
        completion_record_external(
            user=learner_owing,
            external_training=drill,
            completed_on=today() + days(1),
            by=training_admin,
        )


def test_attendance_on_a_day_before_2000_is_refused(
    learner_owing, drill, training_admin
):
    # A mistyped year (0026, 1026) would otherwise reach HR's export and the
    # LRS as a day in antiquity.
    with pytest.raises(TrainingError, match="2000-01-01"):
        completion_record_external(
            user=learner_owing,
            external_training=drill,
            completed_on=datetime.date(1, 1, 1),
            by=training_admin,
        )

    assert not CompletionRecord.objects.exists()


def test_the_one_by_one_form_refuses_a_day_before_2000_with_a_message(
    client, learner_owing, drill, training_admin
):
    client.force_login(training_admin)

    response = client.post(
        reverse("training_external_record"),
        {
            "staff_number": "300001",
            "external_training": drill.pk,
            "completed_on": "0026-11-09",
        },
    )

    assert response.status_code == 200
    assert "2000-01-01" in str(response.context["form"].non_field_errors())
    assert not CompletionRecord.objects.exists()


def test_waiver_and_attendance_show_on_the_learner_records(
    client, requirement, drill, training_admin
):
    learner = requirement.user
    requirement_waive(requirement=requirement, by=training_admin, reason=REASON)
    completion_record_external(
        user=learner, external_training=drill, completed_on=today(), by=training_admin
    )
    client.force_login(learner)

    page = client.get(reverse("training:transcript")).content.decode()

    assert REASON in page
    assert "標的型メール訓練" in page


def test_the_staff_view_shows_requirements_and_records(
    client, requirement, drill, training_admin
):
    requirement_waive(requirement=requirement, by=training_admin, reason=REASON)
    client.force_login(training_admin)

    response = client.get(reverse("training_staff", args=[requirement.user_id]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "免除 花子" in page
    assert REASON in page
    assert reverse("training_requirement_waive", args=[requirement.pk]) not in page


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "waived", "reason": ""},
        {"kind": "external", "reason": "日付なし"},
    ],
)
def test_the_database_refuses_a_waiver_or_attendance_missing_what_it_needs(
    requirement, training_admin, fields
):
    with pytest.raises(IntegrityError), transaction.atomic():
        CompletionRecord.objects.create(
            user=requirement.user,
            requirement=requirement,
            recorded_by=training_admin,
            **fields,
        )
