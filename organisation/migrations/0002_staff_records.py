"""Staff numbers, joining dates, division managers, and job roles held from a date.

Each role a profile held becomes an assignment starting on the person's joining
date if known, else on the day of the migration (the earliest date Gofun can
vouch for), so curricula count due dates from a real day.
"""

import django.core.validators
import django.db.models.deletion
import modelcluster.fields
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def roles_to_assignments(apps, schema_editor):
    StaffProfile = apps.get_model("organisation", "StaffProfile")
    RoleAssignment = apps.get_model("organisation", "RoleAssignment")
    # The many-to-many's own table: a historical model is no ClusterableModel.
    Held = StaffProfile.roles.through
    today = timezone.localdate()
    joined = dict(StaffProfile.objects.values_list("pk", "joined_on"))
    for order, held in enumerate(Held.objects.order_by("staffprofile_id", "pk")):
        RoleAssignment.objects.create(
            profile_id=held.staffprofile_id,
            role_id=held.jobrole_id,
            started_on=joined[held.staffprofile_id] or today,
            sort_order=order,
        )


def assignments_to_roles(apps, schema_editor):
    StaffProfile = apps.get_model("organisation", "StaffProfile")
    RoleAssignment = apps.get_model("organisation", "RoleAssignment")
    Held = StaffProfile.roles.through
    for assignment in RoleAssignment.objects.filter(ended_on__isnull=True):
        Held.objects.get_or_create(
            staffprofile_id=assignment.profile_id, jobrole_id=assignment.role_id
        )


class Migration(migrations.Migration):
    dependencies = [
        ("organisation", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="division",
            name="manager",
            field=models.ForeignKey(
                blank=True,
                help_text="Receives the digest of this division's overdue training.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="divisions_managed",
                to=settings.AUTH_USER_MODEL,
                verbose_name="manager (課室長)",
            ),
        ),
        migrations.AddField(
            model_name="staffprofile",
            name="joined_on",
            field=models.DateField(
                help_text="The day the person joined; due dates for new staff count from it.",
                null=True,
                verbose_name="joined on",
            ),
        ),
        migrations.AddField(
            model_name="staffprofile",
            name="staff_number",
            field=models.CharField(
                max_length=20,
                null=True,
                unique=True,
                validators=[
                    django.core.validators.RegexValidator(
                        "^[0-9A-Za-z-]{1,20}\\Z",
                        "Use 1 to 20 letters, digits or hyphens.",
                    )
                ],
                verbose_name="staff number (職員番号)",
            ),
        ),
        migrations.CreateModel(
            name="RoleAssignment",
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
                ("started_on", models.DateField(verbose_name="from")),
                (
                    "ended_on",
                    models.DateField(
                        blank=True,
                        help_text="The last day in the role; empty while the person holds it.",
                        null=True,
                        verbose_name="until",
                    ),
                ),
                (
                    "profile",
                    modelcluster.fields.ParentalKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="role_assignments",
                        to="organisation.staffprofile",
                        verbose_name="staff profile",
                    ),
                ),
                (
                    "role",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="assignments",
                        to="organisation.jobrole",
                        verbose_name="job role",
                    ),
                ),
            ],
            options={
                "verbose_name": "job role assignment",
                "verbose_name_plural": "job role assignments",
                "ordering": ["sort_order"],
                "abstract": False,
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("ended_on__isnull", True),
                            ("ended_on__gte", models.F("started_on")),
                            _connector="OR",
                        ),
                        name="organisation_assignment_ends_after_start",
                        violation_error_message="The end date is before the start date.",
                    )
                ],
            },
        ),
        migrations.RunPython(roles_to_assignments, assignments_to_roles),
        migrations.RemoveField(
            model_name="staffprofile",
            name="roles",
        ),
    ]
