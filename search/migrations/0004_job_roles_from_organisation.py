"""Job roles moved from `cms` to `organisation` with their table: state only."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("gofun_search", "0003_editors_view_search_queries"),
        ("organisation", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="searchentry",
                    name="job_roles",
                    field=models.ManyToManyField(
                        blank=True, related_name="+", to="organisation.jobrole"
                    ),
                ),
                migrations.AlterField(
                    model_name="searchquery",
                    name="job_roles",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="+",
                        to="organisation.jobrole",
                        verbose_name="job roles",
                    ),
                ),
            ],
            database_operations=[],
        )
    ]
