"""Editors (編集者) and training admins (研修担当) see the ニーズ分析 dashboard."""

from django.db import migrations

GROUPS = ["編集者", "研修担当"]


def _permission(apps):
    ContentType = apps.get_model("contenttypes.ContentType")
    Permission = apps.get_model("auth.Permission")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="analytics", model="lessondayrollup"
    )
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="view_needs_analysis",
        defaults={"name": "Can view the needs analysis"},
    )
    return permission


def grant(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    permission = _permission(apps)
    for name in GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    permission = _permission(apps)
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0001_initial"),
        ("cms", "0003_permission_groups_and_workflow"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
