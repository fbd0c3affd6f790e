"""The ledger refuses SQLite's REPLACE and PostgreSQL's TRUNCATE as well."""

from django.db import migrations

from training.ledger_triggers import install_stage, remove_stage


def install(apps, schema_editor):
    install_stage(schema_editor.connection, "replace_truncate")


def remove(apps, schema_editor):
    remove_stage(schema_editor.connection, "replace_truncate")


class Migration(migrations.Migration):
    dependencies = [("training", "0001_initial")]

    operations = [migrations.RunPython(install, remove)]
