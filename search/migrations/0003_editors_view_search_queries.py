"""Editors (編集者) read the query log reports in the admin."""

from django.db import migrations

EDITORS = "編集者"


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="gofun_search", model="searchquery"
    )
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="view_searchquery",
        defaults={"name": "Can view search query"},
    )
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    editors.permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    editors = Group.objects.filter(name=EDITORS).first()
    if editors is not None:
        editors.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="gofun_search", codename="view_searchquery"
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("gofun_search", "0002_full_text_index"),
        ("cms", "0003_permission_groups_and_workflow"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
