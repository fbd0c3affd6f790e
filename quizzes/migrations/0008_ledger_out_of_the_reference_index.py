"""Completion records leave Wagtail's reference index.

training.CompletionRecord is no longer indexed (wagtail_reference_index_ignore:
a lesson's usage listed every learner's record by name to editors); this drops
the rows written before. Kept in quizzes, where the ledger's table began.
"""

from django.db import migrations


def drop_ledger_references(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ReferenceIndex = apps.get_model("wagtailcore", "ReferenceIndex")
    ledger = ContentType.objects.filter(app_label="training", model="completionrecord")
    ReferenceIndex.objects.filter(base_content_type__in=ledger).delete()
    ReferenceIndex.objects.filter(content_type__in=ledger).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0007_checkpoint_revisions_and_workflow"),
        ("training", "0002_ledger_refuses_replace_and_truncate"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [
        migrations.RunPython(drop_ledger_references, migrations.RunPython.noop)
    ]
