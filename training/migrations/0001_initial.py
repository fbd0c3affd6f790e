"""The completion ledger moves here from `quizzes`, keeping its table, rows,
ids, constraints and append-only triggers.

Only Django's idea of where the model lives changes (state operations). Its
content type moves with it, so the training admins' permissions to read the
ledger and void records still hold, as do the audit log's references.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    ContentType.objects.filter(app_label="quizzes", model="completionrecord").update(
        app_label="training"
    )


def restore_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    ContentType.objects.filter(app_label="training", model="completionrecord").update(
        app_label="quizzes"
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("quizzes", "0004_role_draws_from_organisation"),
        ("learning_series", "0004_target_roles_from_organisation"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="CompletionRecord",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("quiz_passed", "Passed the checkpoint"),
                                    ("read_to_end", "Read to the last slide"),
                                    ("void", "Void"),
                                ],
                                max_length=16,
                                verbose_name="kind",
                            ),
                        ),
                        (
                            "percent",
                            models.DecimalField(
                                blank=True,
                                decimal_places=2,
                                max_digits=5,
                                null=True,
                                verbose_name="score (%)",
                            ),
                        ),
                        (
                            "recorded_at",
                            models.DateTimeField(
                                auto_now_add=True, verbose_name="recorded at"
                            ),
                        ),
                        ("reason", models.TextField(blank=True, verbose_name="reason")),
                        (
                            "attempt",
                            models.OneToOneField(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="completion_record",
                                to="quizzes.attempt",
                                verbose_name="attempt",
                            ),
                        ),
                        (
                            "checkpoint",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="completion_records",
                                to="quizzes.checkpoint",
                                verbose_name="checkpoint",
                            ),
                        ),
                        (
                            "lesson",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="completion_records",
                                to="learning_series.lessonpage",
                                verbose_name="lesson",
                            ),
                        ),
                        (
                            "page_revision",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="wagtailcore.revision",
                                verbose_name="revision read",
                            ),
                        ),
                        (
                            "recorded_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="recorded by",
                            ),
                        ),
                        (
                            "series",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="completion_records",
                                to="learning_series.seriespage",
                                verbose_name="series",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="completion_records",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="learner",
                            ),
                        ),
                        (
                            "voids",
                            models.OneToOneField(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="voided_by",
                                to="training.completionrecord",
                                verbose_name="voids",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "quizzes_completionrecord",
                        "verbose_name": "completion record",
                        "verbose_name_plural": "completion records",
                        "ordering": ["-recorded_at", "-pk"],
                        "permissions": [
                            ("void_completionrecord", "Can void completion records")
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(
                                        ("kind", "void"),
                                        ("recorded_by__isnull", False),
                                        ("voids__isnull", False),
                                        models.Q(("reason", ""), _negated=True),
                                    ),
                                    models.Q(
                                        models.Q(("kind", "void"), _negated=True),
                                        ("voids__isnull", True),
                                    ),
                                    _connector="OR",
                                ),
                                name="quizzes_void_names_record_who_and_why",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, restore_content_type),
    ]
