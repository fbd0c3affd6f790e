"""The completion ledger now lives in the `training` app (its migration 0001
takes the model over with its table); `quizzes` forgets it without touching
the database."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0004_role_draws_from_organisation"),
        ("training", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="CompletionRecord")],
            database_operations=[],
        )
    ]
