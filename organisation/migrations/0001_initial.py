"""The organisation models move here from `cms`, keeping their tables.

Only Django's idea of where the models live changes (state operations); the
tables stay as they are. Their content types move with them, so the group
permissions that refer to them (研修担当 keeps the organisation) still hold.
"""

import django.db.models.deletion
import modelcluster.fields
from django.conf import settings
from django.db import migrations, models

MODELS = ["jobrole", "division", "post", "staffprofile"]


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    ContentType.objects.filter(app_label="cms", model__in=MODELS).update(
        app_label="organisation"
    )


def restore_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    ContentType.objects.filter(app_label="organisation", model__in=MODELS).update(
        app_label="cms"
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("cms", "0003_permission_groups_and_workflow"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Division",
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
                            models.CharField(
                                max_length=100, unique=True, verbose_name="name"
                            ),
                        ),
                        (
                            "code",
                            models.SlugField(
                                max_length=32, unique=True, verbose_name="code"
                            ),
                        ),
                    ],
                    options={
                        "db_table": "cms_division",
                        "verbose_name": "division",
                        "verbose_name_plural": "divisions",
                        "ordering": ["name"],
                    },
                ),
                migrations.CreateModel(
                    name="JobRole",
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
                            "code",
                            models.SlugField(
                                help_text="A stable identifier used by curricula and reports.",
                                max_length=32,
                                unique=True,
                                verbose_name="code",
                            ),
                        ),
                        (
                            "name",
                            models.CharField(
                                max_length=100, unique=True, verbose_name="name"
                            ),
                        ),
                        (
                            "description",
                            models.TextField(blank=True, verbose_name="description"),
                        ),
                        (
                            "sort_order",
                            models.PositiveSmallIntegerField(
                                default=0, verbose_name="sort order"
                            ),
                        ),
                    ],
                    options={
                        "db_table": "cms_jobrole",
                        "verbose_name": "job role",
                        "verbose_name_plural": "job roles",
                        "ordering": ["sort_order", "name"],
                    },
                ),
                migrations.CreateModel(
                    name="Post",
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
                            models.CharField(
                                max_length=100, unique=True, verbose_name="name"
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("headquarters", "Headquarters (本省)"),
                                    ("mission", "Overseas mission (在外公館)"),
                                ],
                                max_length=16,
                                verbose_name="kind",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "cms_post",
                        "verbose_name": "post",
                        "verbose_name_plural": "posts",
                        "ordering": ["kind", "name"],
                    },
                ),
                migrations.CreateModel(
                    name="StaffProfile",
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
                            "division",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="staff",
                                to="organisation.division",
                                verbose_name="division",
                            ),
                        ),
                        (
                            "post",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="staff",
                                to="organisation.post",
                                verbose_name="post",
                            ),
                        ),
                        (
                            "roles",
                            modelcluster.fields.ParentalManyToManyField(
                                blank=True,
                                related_name="staff",
                                to="organisation.jobrole",
                                verbose_name="job roles",
                            ),
                        ),
                        (
                            "user",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="staff_profile",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="user",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "cms_staffprofile",
                        "verbose_name": "staff profile",
                        "verbose_name_plural": "staff profiles",
                        "ordering": ["user__username"],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, restore_content_types),
    ]
