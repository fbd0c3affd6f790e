"""Training admins (研修担当) keep curricula and external trainings, record
attendance, waive requirements and see people's training; editors (編集者)
see completion rates without names."""

from django.db import migrations

EDITORS = "編集者"
TRAINING_ADMINS = "研修担当"

PERMISSIONS = {
    TRAINING_ADMINS: {
        "curriculum": [
            "add_curriculum",
            "change_curriculum",
            "delete_curriculum",
            "publish_curriculum",
            "lock_curriculum",
            "unlock_curriculum",
            "view_curriculum",
        ],
        "externaltraining": [
            "add_externaltraining",
            "change_externaltraining",
            "delete_externaltraining",
            "view_externaltraining",
            "record_externaltraining",
        ],
        "requirement": [
            "view_requirement",
            "waive_requirement",
            "report_requirement",
        ],
    },
    EDITORS: {"requirement": ["report_requirement"]},
}


def _permission(apps, model, codename):
    ContentType = apps.get_model("contenttypes.ContentType")
    Permission = apps.get_model("auth.Permission")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="training", model=model
    )
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename=codename,
        defaults={"name": codename.replace("_", " ").capitalize()},
    )
    return permission


def assign(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    for group_name, models in PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for model, codenames in models.items():
            for codename in codenames:
                group.permissions.add(_permission(apps, model, codename))


def unassign(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    for group_name, models in PERMISSIONS.items():
        group = Group.objects.filter(name=group_name).first()
        if group is None:
            continue
        for model, codenames in models.items():
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label="training",
                    content_type__model=model,
                    codename__in=codenames,
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0003_curricula_requirements_and_ledger_kinds"),
        ("cms", "0003_permission_groups_and_workflow"),
    ]

    operations = [migrations.RunPython(assign, unassign)]
