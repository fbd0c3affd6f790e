"""Checkpoints go through review: each existing checkpoint gets a published
revision (its current settings), attempts already taken record it, editors may
publish and lock checkpoints, and the 編集審査 workflow covers them.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import migrations
from django.utils import timezone
from modelcluster.models import get_serializable_data_for_fields

EDITORS = "編集者"
WORKFLOW = "編集審査"
EDITOR_PERMISSIONS = ["publish_checkpoint", "lock_checkpoint", "unlock_checkpoint"]


def _permission(apps, codename):
    ContentType = apps.get_model("contenttypes.ContentType")
    Permission = apps.get_model("auth.Permission")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="quizzes", model="checkpoint"
    )
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename=codename,
        defaults={"name": codename.replace("_", " ").capitalize()},
    )
    return permission


def publish_existing(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Checkpoint = apps.get_model("quizzes.Checkpoint")
    CheckpointRoleDraw = apps.get_model("quizzes.CheckpointRoleDraw")
    Attempt = apps.get_model("quizzes.Attempt")
    Revision = apps.get_model("wagtailcore.Revision")
    Group = apps.get_model("auth.Group")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowContentType = apps.get_model("wagtailcore.WorkflowContentType")

    checkpoint_type, _ = ContentType.objects.get_or_create(
        app_label="quizzes", model="checkpoint"
    )
    now = timezone.now()
    for checkpoint in Checkpoint.objects.filter(live_revision__isnull=True):
        checkpoint.live = True
        checkpoint.has_unpublished_changes = False
        checkpoint.first_published_at = checkpoint.first_published_at or now
        checkpoint.last_published_at = now
        content = get_serializable_data_for_fields(checkpoint)
        content["role_draws"] = [
            get_serializable_data_for_fields(draw)
            for draw in CheckpointRoleDraw.objects.filter(
                checkpoint=checkpoint
            ).order_by("sort_order", "pk")
        ]
        revision = Revision.objects.create(
            content_type=checkpoint_type,
            base_content_type=checkpoint_type,
            object_id=str(checkpoint.pk),
            created_at=now,
            object_str=f"checkpoint {checkpoint.pk}",
            content=json.loads(json.dumps(content, cls=DjangoJSONEncoder)),
        )
        Checkpoint.objects.filter(pk=checkpoint.pk).update(
            live=True,
            has_unpublished_changes=False,
            first_published_at=checkpoint.first_published_at,
            last_published_at=now,
            live_revision=revision,
            latest_revision=revision,
        )
        Attempt.objects.filter(
            checkpoint=checkpoint, checkpoint_revision__isnull=True
        ).update(checkpoint_revision=revision)

    editors = Group.objects.filter(name=EDITORS).first()
    if editors is not None:
        for codename in EDITOR_PERMISSIONS:
            editors.permissions.add(_permission(apps, codename))
    workflow = Workflow.objects.filter(name=WORKFLOW).first()
    if workflow is not None:
        WorkflowContentType.objects.update_or_create(
            content_type=checkpoint_type, defaults={"workflow": workflow}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0006_checkpoint_review_and_options"),
    ]

    operations = [migrations.RunPython(publish_existing, migrations.RunPython.noop)]
