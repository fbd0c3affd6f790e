"""The ledger and the organisation moved apps without losing a row.

Migrates a database back to before the move (quizzes 0003, cms 0003), writes a
staff profile with roles and ledger rows as the old models had them, migrates
forward again and checks that the same rows, with the same ids, are read
through the new models, that roles became dated assignments, and that the
append-only triggers still refuse UPDATE and DELETE.
"""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from organisation.models import StaffProfile
from organisation.selectors import staff_role_codes
from training.models import CompletionRecord

# Serialized rollback puts back what migrations wrote (groups, job roles).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE_THE_MOVE = [
    ("quizzes", "0003_quiz_workflow_and_permissions"),
    ("cms", "0003_permission_groups_and_workflow"),
    ("learning_series", "0003_series_cover_and_authors"),
    ("gofun_search", "0003_editors_view_search_queries"),
    ("organisation", None),
    ("training", None),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    nodes = [target for target in targets if target[1] is not None]
    return executor.loader.project_state(nodes).apps


def latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def test_rows_keep_their_ids_and_the_triggers_hold_after_the_move():
    old = migrate(BEFORE_THE_MOVE)
    User = old.get_model("auth", "User")
    JobRole = old.get_model("cms", "JobRole")
    Division = old.get_model("cms", "Division")
    Post = old.get_model("cms", "Post")
    OldProfile = old.get_model("cms", "StaffProfile")
    OldRecord = old.get_model("quizzes", "CompletionRecord")
    learner = User.objects.create(username="before-the-move")
    admin = User.objects.create(username="trainer-before")
    profile = OldProfile.objects.create(
        user=learner,
        division=Division.objects.create(name="総務課", code="ga"),
        post=Post.objects.create(name="本省", kind="headquarters"),
    )
    # A historical model is no ClusterableModel: write the roles' own table.
    OldProfile.roles.through.objects.bulk_create(
        OldProfile.roles.through(staffprofile=profile, jobrole=role)
        for role in JobRole.objects.filter(code__in=["general", "pjmo"])
    )
    # Leave a gap in the ids, as a real ledger has.
    first = OldRecord.objects.create(kind="read_to_end", user=learner, id=41)
    void = OldRecord.objects.create(
        kind="void", user=learner, voids=first, reason="誤登録", recorded_by=admin
    )
    kept = OldRecord.objects.create(kind="read_to_end", user=learner, id=97)

    migrate(latest())

    records = CompletionRecord.objects.values_list("pk", "kind", "user__username")
    assert sorted(records) == sorted(
        [
            (41, "read_to_end", "before-the-move"),
            (void.pk, "void", "before-the-move"),
            (97, "read_to_end", "before-the-move"),
        ]
    )
    assert CompletionRecord.objects.get(pk=void.pk).voids_id == first.pk
    assert list(CompletionRecord.objects.standing().values_list("pk", flat=True)) == [
        kept.pk
    ]
    moved = StaffProfile.objects.get(user__username="before-the-move")
    assert staff_role_codes(user=moved.user) == {"general", "pjmo"}
    assert moved.role_assignments.filter(ended_on__isnull=True).count() == 2
    table = CompletionRecord._meta.db_table
    for statement in (
        f"UPDATE {table} SET reason = 'x' WHERE id = 41",  # noqa: S608
        f"DELETE FROM {table} WHERE id = 41",  # noqa: S608
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(statement)
    assert CompletionRecord.objects.filter(pk=41).exists()


@pytest.mark.django_db
def test_training_admins_keep_their_ledger_and_organisation_permissions():
    from django.contrib.auth.models import Group

    trainers = Group.objects.get(name="研修担当")
    codenames = {
        f"{permission.content_type.app_label}.{permission.codename}"
        for permission in trainers.permissions.select_related("content_type")
    }

    assert {
        "training.view_completionrecord",
        "training.void_completionrecord",
        "organisation.change_staffprofile",
        "organisation.add_division",
    } <= codenames
