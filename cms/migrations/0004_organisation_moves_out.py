"""The organisation models now live in the `organisation` app (its migration
0001 takes them over with their tables); `cms` forgets them without touching
the database."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0003_permission_groups_and_workflow"),
        ("organisation", "0001_initial"),
        ("learning_series", "0004_target_roles_from_organisation"),
        ("quizzes", "0004_role_draws_from_organisation"),
        ("gofun_search", "0004_job_roles_from_organisation"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="StaffProfile"),
                migrations.DeleteModel(name="Post"),
                migrations.DeleteModel(name="Division"),
                migrations.DeleteModel(name="JobRole"),
            ],
            database_operations=[],
        )
    ]
