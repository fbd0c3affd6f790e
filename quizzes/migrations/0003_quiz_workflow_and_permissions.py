"""Quizzes go through the editorial workflow 編集審査, like lessons.

Authors add and edit quizzes and checkpoints; editors also publish quizzes,
see item analysis and manage checkpoints; training admins read the completion
ledger (nobody can change it).
"""

from django.db import migrations

AUTHORS = "執筆者"
EDITORS = "編集者"
TRAINING_ADMINS = "研修担当"
WORKFLOW = "編集審査"

PERMISSIONS = {
    AUTHORS: {
        "quiz": ["add_quiz", "change_quiz"],
        "checkpoint": ["add_checkpoint", "change_checkpoint"],
    },
    EDITORS: {
        "quiz": [
            "add_quiz",
            "change_quiz",
            "publish_quiz",
            "lock_quiz",
            "unlock_quiz",
            "view_item_analysis",
        ],
        "checkpoint": ["add_checkpoint", "change_checkpoint", "delete_checkpoint"],
    },
    TRAINING_ADMINS: {
        "completionrecord": ["view_completionrecord", "void_completionrecord"]
    },
}


def _permission(apps, model, codename):
    ContentType = apps.get_model("contenttypes.ContentType")
    Permission = apps.get_model("auth.Permission")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="quizzes", model=model
    )
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename=codename,
        defaults={"name": codename.replace("_", " ").capitalize()},
    )
    return permission


def assign(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Group = apps.get_model("auth.Group")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowContentType = apps.get_model("wagtailcore.WorkflowContentType")

    for group_name, models in PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for model, codenames in models.items():
            for codename in codenames:
                group.permissions.add(_permission(apps, model, codename))

    workflow = Workflow.objects.filter(name=WORKFLOW).first()
    if workflow is not None:
        quiz_type, _ = ContentType.objects.get_or_create(
            app_label="quizzes", model="quiz"
        )
        WorkflowContentType.objects.update_or_create(
            content_type=quiz_type, defaults={"workflow": workflow}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0002_ledger_append_only"),
        ("cms", "0003_permission_groups_and_workflow"),
    ]

    operations = [migrations.RunPython(assign, migrations.RunPython.noop)]
