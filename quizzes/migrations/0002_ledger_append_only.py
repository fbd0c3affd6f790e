"""Database triggers that refuse UPDATE and DELETE on the completion ledger.

(The ledger and its triggers now belong to the training app; the statements
this migration installs are kept there, unchanged.)
"""

from django.db import migrations

from training.ledger_triggers import install_stage, remove_stage


def install(apps, schema_editor):
    install_stage(schema_editor.connection, "update_delete")


def remove(apps, schema_editor):
    remove_stage(schema_editor.connection, "update_delete")


class Migration(migrations.Migration):
    dependencies = [("quizzes", "0001_initial")]

    operations = [migrations.RunPython(install, remove)]
