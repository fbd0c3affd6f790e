"""Curricula, external trainings, requirements and material changes; the
ledger gains the kinds "external" and "waived".

The ledger only gains nullable columns (ALTER TABLE ADD COLUMN on both
databases) and a CHECK constraint naming what each new kind needs. SQLite
adds a constraint by rebuilding the table (rows copied with their ids, the
old table dropped), which would take the append-only triggers with it: they
are removed just before and installed again, unchanged, just after, inside
this migration's transaction.
"""

import django.core.validators
import django.db.models.deletion
import modelcluster.fields
import modelsearch.index
from django.conf import settings
from django.db import migrations, models

from training.ledger_triggers import install_triggers, remove_triggers


def remove_ledger_triggers(apps, schema_editor):
    remove_triggers(schema_editor.connection)


def install_ledger_triggers(apps, schema_editor):
    install_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("learning_series", "0005_lesson_material_change"),
        ("organisation", "0002_staff_records"),
        ("quizzes", "0007_checkpoint_revisions_and_workflow"),
        ("training", "0002_ledger_refuses_replace_and_truncate"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ExternalTraining",
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
                    "name",
                    models.CharField(max_length=200, unique=True, verbose_name="name"),
                ),
                (
                    "code",
                    models.SlugField(
                        help_text="A stable identifier, used by the attendance import command.",
                        unique=True,
                        verbose_name="code",
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("training", "Training (研修)"),
                            ("drill", "Drill (訓練)"),
                        ],
                        default="training",
                        max_length=16,
                        verbose_name="kind",
                    ),
                ),
                (
                    "provider",
                    models.CharField(
                        blank=True, max_length=200, verbose_name="held by"
                    ),
                ),
                (
                    "description",
                    models.TextField(blank=True, verbose_name="description"),
                ),
            ],
            options={
                "verbose_name": "external training or drill",
                "verbose_name_plural": "external trainings and drills",
                "ordering": ["name"],
                "permissions": [
                    (
                        "record_externaltraining",
                        "Can record attendance at external trainings and drills",
                    )
                ],
            },
            bases=(modelsearch.index.Indexed, models.Model),
        ),
        migrations.AddField(
            model_name="completionrecord",
            name="completed_on",
            field=models.DateField(blank=True, null=True, verbose_name="attended on"),
        ),
        migrations.AddField(
            model_name="completionrecord",
            name="evidence",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtaildocs.document",
                verbose_name="evidence",
            ),
        ),
        migrations.AlterField(
            model_name="completionrecord",
            name="kind",
            field=models.CharField(
                choices=[
                    ("quiz_passed", "Passed the checkpoint"),
                    ("read_to_end", "Read to the last slide"),
                    ("external", "Attended an external training or drill"),
                    ("waived", "Waived"),
                    ("void", "Void"),
                ],
                max_length=16,
                verbose_name="kind",
            ),
        ),
        migrations.CreateModel(
            name="Curriculum",
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
                    "live",
                    models.BooleanField(
                        default=True, editable=False, verbose_name="live"
                    ),
                ),
                (
                    "has_unpublished_changes",
                    models.BooleanField(
                        default=False,
                        editable=False,
                        verbose_name="has unpublished changes",
                    ),
                ),
                (
                    "first_published_at",
                    models.DateTimeField(
                        blank=True,
                        db_index=True,
                        null=True,
                        verbose_name="first published at",
                    ),
                ),
                (
                    "last_published_at",
                    models.DateTimeField(
                        editable=False, null=True, verbose_name="last published at"
                    ),
                ),
                (
                    "go_live_at",
                    models.DateTimeField(
                        blank=True, null=True, verbose_name="go live date/time"
                    ),
                ),
                (
                    "expire_at",
                    models.DateTimeField(
                        blank=True, null=True, verbose_name="expiry date/time"
                    ),
                ),
                (
                    "expired",
                    models.BooleanField(
                        default=False, editable=False, verbose_name="expired"
                    ),
                ),
                (
                    "locked",
                    models.BooleanField(
                        default=False, editable=False, verbose_name="locked"
                    ),
                ),
                (
                    "locked_at",
                    models.DateTimeField(
                        editable=False, null=True, verbose_name="locked at"
                    ),
                ),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                (
                    "for_all_staff",
                    models.BooleanField(
                        default=False,
                        help_text="Mandatory training every member of staff must complete.",
                        verbose_name="for all staff (必修)",
                    ),
                ),
                (
                    "description",
                    models.TextField(blank=True, verbose_name="description"),
                ),
                (
                    "latest_revision",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="wagtailcore.revision",
                        verbose_name="latest revision",
                    ),
                ),
                (
                    "live_revision",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="wagtailcore.revision",
                        verbose_name="live revision",
                    ),
                ),
                (
                    "locked_by",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="locked_%(class)ss",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="locked by",
                    ),
                ),
                (
                    "role",
                    models.OneToOneField(
                        blank=True,
                        help_text="Everyone who holds this role must complete the curriculum.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="curriculum",
                        to="organisation.jobrole",
                        verbose_name="job role",
                    ),
                ),
            ],
            options={
                "verbose_name": "curriculum",
                "verbose_name_plural": "curricula",
                "ordering": ["-for_all_staff", "role__sort_order", "name"],
            },
        ),
        migrations.CreateModel(
            name="CurriculumItem",
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
                    "sort_order",
                    models.IntegerField(blank=True, editable=False, null=True),
                ),
                (
                    "due_rule",
                    models.CharField(
                        choices=[
                            ("fixed_date", "By a fixed date"),
                            ("days_after_role", "Days after gaining the role"),
                            ("days_after_joining", "Days after joining"),
                        ],
                        default="fixed_date",
                        max_length=24,
                        verbose_name="due",
                    ),
                ),
                (
                    "due_date",
                    models.DateField(
                        blank=True,
                        help_text="For a fixed date; when it recurs, the same day every year.",
                        null=True,
                        verbose_name="due date",
                    ),
                ),
                (
                    "due_days",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        null=True,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(3650),
                        ],
                        verbose_name="days allowed",
                    ),
                ),
                (
                    "recurrence",
                    models.CharField(
                        choices=[
                            ("none", "Once"),
                            ("fiscal_year", "Every fiscal year (from 1 April)"),
                        ],
                        default="none",
                        max_length=16,
                        verbose_name="recurrence",
                    ),
                ),
                (
                    "curriculum",
                    modelcluster.fields.ParentalKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="items",
                        to="training.curriculum",
                    ),
                ),
                (
                    "lesson",
                    models.ForeignKey(
                        blank=True,
                        help_text="Passing its checkpoint, or reading it to the end if it has none.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="learning_series.lessonpage",
                        verbose_name="lesson",
                    ),
                ),
                (
                    "series",
                    models.ForeignKey(
                        blank=True,
                        help_text="Every lesson of the series, and its checkpoint if it has one.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="learning_series.seriespage",
                        verbose_name="series",
                    ),
                ),
                (
                    "external_training",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="training.externaltraining",
                        verbose_name="external training or drill",
                    ),
                ),
            ],
            options={
                "verbose_name": "curriculum item",
                "verbose_name_plural": "curriculum items",
                "ordering": ["sort_order"],
                "abstract": False,
            },
        ),
        migrations.AddField(
            model_name="completionrecord",
            name="external_training",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="completion_records",
                to="training.externaltraining",
                verbose_name="external training or drill",
            ),
        ),
        migrations.CreateModel(
            name="LessonMaterialChange",
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
                ("reason", models.TextField(verbose_name="reason")),
                ("published_at", models.DateTimeField(verbose_name="published at")),
                (
                    "lesson",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="material_changes",
                        to="learning_series.lessonpage",
                        verbose_name="lesson",
                    ),
                ),
                (
                    "published_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="published by",
                    ),
                ),
                (
                    "revision",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="wagtailcore.revision",
                        verbose_name="revision",
                    ),
                ),
            ],
            options={
                "verbose_name": "material change of a lesson",
                "verbose_name_plural": "material changes of lessons",
                "ordering": ["-published_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="Requirement",
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
                    "period",
                    models.CharField(blank=True, max_length=16, verbose_name="period"),
                ),
                (
                    "counts_from",
                    models.DateField(
                        blank=True,
                        help_text="Completions before this day do not meet the requirement.",
                        null=True,
                        verbose_name="records count from",
                    ),
                ),
                (
                    "period_end",
                    models.DateField(blank=True, null=True, verbose_name="period ends"),
                ),
                ("started_on", models.DateField(verbose_name="owed from")),
                ("due_on", models.DateField(verbose_name="due")),
                ("opened_on", models.DateField(verbose_name="opened on")),
                (
                    "lapsed_on",
                    models.DateField(blank=True, null=True, verbose_name="lapsed on"),
                ),
                (
                    "lapse_reason",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("role_ended", "No longer holds the role"),
                            ("withdrawn", "No longer in the curriculum"),
                            ("period_ended", "A new period began"),
                            ("retraining", "Re-opened by a material revision"),
                        ],
                        max_length=16,
                        verbose_name="why it lapsed",
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(auto_now_add=True, verbose_name="created at"),
                ),
                (
                    "curriculum",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="requirements",
                        to="training.curriculum",
                        verbose_name="curriculum",
                    ),
                ),
                (
                    "external_training",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="requirements",
                        to="training.externaltraining",
                        verbose_name="external training or drill",
                    ),
                ),
                (
                    "item",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="requirements",
                        to="training.curriculumitem",
                        verbose_name="curriculum item",
                    ),
                ),
                (
                    "lesson",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="learning_series.lessonpage",
                        verbose_name="lesson",
                    ),
                ),
                (
                    "material_change",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="requirements",
                        to="training.lessonmaterialchange",
                        verbose_name="re-opened by",
                    ),
                ),
                (
                    "series",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="learning_series.seriespage",
                        verbose_name="series",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="training_requirements",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="member of staff",
                    ),
                ),
            ],
            options={
                "verbose_name": "training requirement",
                "verbose_name_plural": "training requirements",
                "ordering": ["due_on", "pk"],
                "permissions": [
                    ("waive_requirement", "Can waive training requirements"),
                    (
                        "report_requirement",
                        "Can see training completion rates (without names)",
                    ),
                ],
            },
        ),
        migrations.AddField(
            model_name="completionrecord",
            name="requirement",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="waivers",
                to="training.requirement",
                verbose_name="requirement waived",
            ),
        ),
        migrations.RunPython(remove_ledger_triggers, install_ledger_triggers),
        migrations.AddConstraint(
            model_name="completionrecord",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        models.Q(("kind", "external"), _negated=True),
                        models.Q(
                            ("completed_on__isnull", False),
                            ("external_training__isnull", False),
                            ("recorded_by__isnull", False),
                        ),
                        _connector="OR",
                    ),
                    models.Q(
                        models.Q(("kind", "waived"), _negated=True),
                        models.Q(
                            ("recorded_by__isnull", False),
                            ("requirement__isnull", False),
                            models.Q(("reason", ""), _negated=True),
                        ),
                        _connector="OR",
                    ),
                ),
                name="training_external_and_waived_name_what_they_need",
            ),
        ),
        migrations.RunPython(install_ledger_triggers, remove_ledger_triggers),
        migrations.AddConstraint(
            model_name="curriculum",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("for_all_staff", True), ("role__isnull", True)),
                    models.Q(("for_all_staff", False), ("role__isnull", False)),
                    _connector="OR",
                ),
                name="training_curriculum_for_all_staff_or_one_role",
                violation_error_message="Choose a job role, or mark the curriculum as for all staff (not both).",
            ),
        ),
        migrations.AddConstraint(
            model_name="curriculum",
            constraint=models.UniqueConstraint(
                condition=models.Q(("for_all_staff", True)),
                fields=("for_all_staff",),
                name="training_one_curriculum_for_all_staff",
                violation_error_message="There is already a curriculum for all staff.",
            ),
        ),
        migrations.AddConstraint(
            model_name="curriculumitem",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("external_training__isnull", True),
                        ("lesson__isnull", True),
                        ("series__isnull", False),
                    ),
                    models.Q(
                        ("external_training__isnull", True),
                        ("lesson__isnull", False),
                        ("series__isnull", True),
                    ),
                    models.Q(
                        ("external_training__isnull", False),
                        ("lesson__isnull", True),
                        ("series__isnull", True),
                    ),
                    _connector="OR",
                ),
                name="training_item_names_one_thing",
            ),
        ),
        migrations.AddIndex(
            model_name="requirement",
            index=models.Index(
                fields=["user", "lapsed_on"], name="training_req_user_active"
            ),
        ),
        migrations.AddIndex(
            model_name="requirement",
            index=models.Index(fields=["lapsed_on", "due_on"], name="training_req_due"),
        ),
        migrations.AddConstraint(
            model_name="requirement",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("external_training__isnull", True),
                        ("lesson__isnull", True),
                        ("series__isnull", False),
                    ),
                    models.Q(
                        ("external_training__isnull", True),
                        ("lesson__isnull", False),
                        ("series__isnull", True),
                    ),
                    models.Q(
                        ("external_training__isnull", False),
                        ("lesson__isnull", True),
                        ("series__isnull", True),
                    ),
                    _connector="OR",
                ),
                name="training_requirement_names_one_thing",
            ),
        ),
        migrations.AddConstraint(
            model_name="requirement",
            constraint=models.UniqueConstraint(
                condition=models.Q(
                    ("lapsed_on__isnull", True), ("series__isnull", False)
                ),
                fields=("user", "curriculum", "series", "period"),
                name="training_one_open_requirement_per_series",
            ),
        ),
        migrations.AddConstraint(
            model_name="requirement",
            constraint=models.UniqueConstraint(
                condition=models.Q(
                    ("lapsed_on__isnull", True), ("lesson__isnull", False)
                ),
                fields=("user", "curriculum", "lesson", "period"),
                name="training_one_open_requirement_per_lesson",
            ),
        ),
        migrations.AddConstraint(
            model_name="requirement",
            constraint=models.UniqueConstraint(
                condition=models.Q(
                    ("external_training__isnull", False), ("lapsed_on__isnull", True)
                ),
                fields=("user", "curriculum", "external_training", "period"),
                name="training_one_open_requirement_per_external_training",
            ),
        ),
    ]
