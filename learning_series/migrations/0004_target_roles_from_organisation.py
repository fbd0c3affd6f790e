"""Job roles moved from `cms` to `organisation` with their table: state only."""

import modelcluster.fields
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("learning_series", "0003_series_cover_and_authors"),
        ("organisation", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="seriespage",
                    name="target_roles",
                    field=modelcluster.fields.ParentalManyToManyField(
                        blank=True,
                        related_name="series",
                        to="organisation.jobrole",
                        verbose_name="job roles aimed at",
                    ),
                ),
            ],
            database_operations=[],
        )
    ]
