"""Database triggers that refuse UPDATE and DELETE on the completion ledger."""

from django.db import migrations

from quizzes.ledger_triggers import install_triggers, remove_triggers


def install(apps, schema_editor):
    install_triggers(schema_editor.connection)


def remove(apps, schema_editor):
    remove_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("quizzes", "0001_initial")]

    operations = [migrations.RunPython(install, remove)]
