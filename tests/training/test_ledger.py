"""The completion ledger is append-only: in the model, the database and the admin."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.urls import NoReverseMatch, reverse

from tests.factories import UserFactory, make_lesson, make_series
from training import ledger_triggers
from training.models import CompletionRecord
from training.services import TrainingError, completion_record_void

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(learner):
    lesson = make_lesson(series=make_series())
    return CompletionRecord.objects.create(
        kind="read_to_end",
        user=learner,
        lesson=lesson,
        page_revision_id=lesson.live_revision_id,
    )


def test_model_refuses_to_change_a_record(record):
    record.reason = "書き換え"

    with pytest.raises(CompletionRecord.Immutable):
        record.save()


def test_model_refuses_to_delete_a_record(record):
    with pytest.raises(CompletionRecord.Immutable):
        record.delete()

    assert CompletionRecord.objects.filter(pk=record.pk).exists()


def test_queryset_refuses_bulk_update_and_delete(record):
    with pytest.raises(CompletionRecord.Immutable):
        CompletionRecord.objects.filter(pk=record.pk).update(reason="x")
    with pytest.raises(CompletionRecord.Immutable):
        CompletionRecord.objects.all().delete()


def test_database_refuses_update_behind_the_models_back(record):
    table = CompletionRecord._meta.db_table
    with pytest.raises(IntegrityError), transaction.atomic():
        with connection.cursor() as cursor:
            sql = f"UPDATE {table} SET percent = 100 WHERE id = %s"  # noqa: S608
            cursor.execute(sql, [record.pk])

    assert CompletionRecord.objects.get(pk=record.pk).percent is None


def test_database_refuses_delete_behind_the_models_back(record):
    table = CompletionRecord._meta.db_table
    with pytest.raises(IntegrityError), transaction.atomic():
        with connection.cursor() as cursor:
            sql = f"DELETE FROM {table} WHERE id = %s"  # noqa: S608
            cursor.execute(sql, [record.pk])

    assert CompletionRecord.objects.filter(pk=record.pk).exists()


def _row_count_and_reason(record) -> tuple[int, str]:
    return (
        CompletionRecord.objects.count(),
        CompletionRecord.objects.get(pk=record.pk).reason,
    )


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's REPLACE")
@pytest.mark.parametrize("statement", ["REPLACE INTO", "INSERT OR REPLACE INTO"])
def test_sqlite_refuses_replace_of_a_row_by_its_id(record, statement):
    table = CompletionRecord._meta.db_table
    before = _row_count_and_reason(record)
    with pytest.raises(IntegrityError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                f"{statement} {table} (id, kind, user_id, lesson_id, reason, "  # noqa: S608
                "recorded_at) VALUES (%s, 'read_to_end', %s, %s, '書換', "
                "CURRENT_TIMESTAMP)",
                [record.pk, record.user_id, record.lesson_id],
            )

    assert _row_count_and_reason(record) == before


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's REPLACE")
def test_sqlite_refuses_replace_that_collides_on_a_unique_column(record, learner):
    void = completion_record_void(
        record=record, by=UserFactory(is_superuser=True), reason="誤登録"
    )
    table = CompletionRecord._meta.db_table
    with pytest.raises(IntegrityError), transaction.atomic():
        with connection.cursor() as cursor:
            # A new id, the same voids_id: REPLACE would delete the void.
            cursor.execute(
                f"INSERT OR REPLACE INTO {table} (kind, user_id, voids_id, reason, "  # noqa: S608
                "recorded_by_id, recorded_at) VALUES ('void', %s, %s, '別の理由', %s, "
                "CURRENT_TIMESTAMP)",
                [learner.pk, record.pk, learner.pk],
            )

    assert CompletionRecord.objects.get(voids=record).pk == void.pk


def test_database_refuses_upsert_that_would_update(record):
    table = CompletionRecord._meta.db_table
    with pytest.raises(IntegrityError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (id, kind, user_id, lesson_id, reason, "  # noqa: S608
                "recorded_at) VALUES (%s, 'read_to_end', %s, %s, '', "
                "CURRENT_TIMESTAMP) ON CONFLICT (id) DO UPDATE SET reason = '書換'",
                [record.pk, record.user_id, record.lesson_id],
            )

    assert CompletionRecord.objects.get(pk=record.pk).reason == ""


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL TRUNCATE")
def test_postgresql_refuses_truncate(record):
    table = CompletionRecord._meta.db_table
    with pytest.raises(IntegrityError), transaction.atomic():
        with connection.cursor() as cursor:
            # Deferred foreign key checks would block any TRUNCATE first, and
            # tables referencing the ledger (the LRS outbox) a plain one:
            # CASCADE reaches the ledger's own trigger.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {table} CASCADE")

    assert CompletionRecord.objects.filter(pk=record.pk).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL TRUNCATE")
def test_postgresql_refuses_truncate_cascading_from_the_learners(record):
    with pytest.raises(IntegrityError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("TRUNCATE auth_user CASCADE")

    assert CompletionRecord.objects.filter(pk=record.pk).exists()


def test_every_unique_column_of_the_ledger_is_guarded_against_replace():
    unique_columns = {
        field.column
        for field in CompletionRecord._meta.concrete_fields
        if field.unique or field.primary_key
    }

    assert unique_columns == set(ledger_triggers.REPLACE_GUARDED_COLUMNS)


def test_deleting_the_learner_is_refused_while_records_exist(record, learner):
    with pytest.raises(ProtectedError):
        learner.delete()


def test_void_is_a_new_record_naming_who_and_why(record, training_admin):
    void = completion_record_void(
        record=record, by=training_admin, reason="別人の記録として登録されていた"
    )

    assert CompletionRecord.objects.count() == 2
    assert (void.kind, void.voids, void.recorded_by) == ("void", record, training_admin)
    assert void.reason == "別人の記録として登録されていた"
    record.refresh_from_db()
    assert record.kind == "read_to_end"


def test_void_without_a_reason_is_refused(record, training_admin):
    with pytest.raises(TrainingError):
        completion_record_void(record=record, by=training_admin, reason="  ")

    assert CompletionRecord.objects.count() == 1


def test_learner_cannot_void_a_record(record, learner):
    with pytest.raises(TrainingError):
        completion_record_void(record=record, by=learner, reason="取り消したい")

    assert CompletionRecord.objects.count() == 1


def test_a_record_is_voided_only_once(record, training_admin):
    completion_record_void(record=record, by=training_admin, reason="誤登録")

    with pytest.raises(TrainingError):
        completion_record_void(record=record, by=training_admin, reason="再度")


def test_admin_routes_no_edit_or_delete_for_the_ledger():
    for action in ("add", "edit", "delete"):
        with pytest.raises(NoReverseMatch):
            reverse(f"completion_ledger:{action}", args=[1] if action != "add" else [])


def test_superuser_can_read_the_ledger_in_the_admin(client, record):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))

    listing = client.get(reverse("completion_ledger:index"))
    inspect = client.get(reverse("completion_ledger:inspect", args=[record.pk]))

    assert (listing.status_code, inspect.status_code) == (200, 200)
    assert "completion_ledger/edit" not in listing.content.decode()
    assert "/delete/" not in inspect.content.decode()


def test_training_admin_reads_the_ledger_and_a_learner_cannot(
    client, record, training_admin, learner
):
    client.force_login(training_admin)
    assert client.get(reverse("completion_ledger:index")).status_code == 200

    client.force_login(learner)
    assert client.get(reverse("completion_ledger:index")).status_code in (302, 403)


def test_training_admin_voids_a_record_through_the_admin(
    client, record, training_admin
):
    client.force_login(training_admin)
    inspect = client.get(reverse("completion_ledger:inspect", args=[record.pk]))
    void_url = reverse("training_completion_record_void", args=[record.pk])
    assert void_url in inspect.content.decode()

    response = client.post(void_url, {"reason": "受講者の取り違え"})

    void = CompletionRecord.objects.get(kind="void")
    assert response.status_code == 302
    assert (void.voids_id, void.recorded_by, void.reason) == (
        record.pk,
        training_admin,
        "受講者の取り違え",
    )


def test_editor_cannot_void_a_record_through_the_admin(client, record, editor):
    client.force_login(editor)

    response = client.post(
        reverse("training_completion_record_void", args=[record.pk]),
        {"reason": "取り消したい"},
    )

    assert response.status_code in (302, 403)
    assert CompletionRecord.objects.count() == 1
