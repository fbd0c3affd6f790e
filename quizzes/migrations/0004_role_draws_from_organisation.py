"""Job roles moved from `cms` to `organisation` with their table: state only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0003_quiz_workflow_and_permissions"),
        ("organisation", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="checkpointroledraw",
                    name="role",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        to="organisation.jobrole",
                        verbose_name="job role",
                    ),
                ),
            ],
            database_operations=[],
        )
    ]
