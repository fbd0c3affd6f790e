"""The outbox of statements on their way to HR's LRS, beside the append-only
ledger (a table of its own: the ledger's rows never change), and the one-row
record of when the next retry is queued."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("training", "0002_ledger_refuses_replace_and_truncate"),
    ]

    operations = [
        migrations.CreateModel(
            name="LrsRetry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("retry_at", models.DateTimeField(blank=True, null=True)),
            ],
            options={
                "verbose_name": "LRS retry",
                "verbose_name_plural": "LRS retries",
            },
        ),
        migrations.CreateModel(
            name="LrsOutboxEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                (
                    "statement_id",
                    models.UUIDField(unique=True, verbose_name="statement id"),
                ),
                ("statement", models.JSONField(verbose_name="statement")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Waiting to be sent"),
                            ("sent", "Sent"),
                            ("rejected", "Refused by the LRS"),
                        ],
                        default="pending",
                        max_length=16,
                        verbose_name="status",
                    ),
                ),
                (
                    "attempts",
                    models.PositiveIntegerField(
                        default=0, verbose_name="failed attempts"
                    ),
                ),
                (
                    "next_attempt_at",
                    models.DateTimeField(verbose_name="next attempt at"),
                ),
                ("lease", models.UUIDField(blank=True, null=True)),
                ("leased_until", models.DateTimeField(blank=True, null=True)),
                (
                    "created_at",
                    models.DateTimeField(auto_now_add=True, verbose_name="queued at"),
                ),
                (
                    "sent_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="sent at"),
                ),
                (
                    "last_status_code",
                    models.PositiveSmallIntegerField(
                        blank=True, null=True, verbose_name="last HTTP status"
                    ),
                ),
                ("last_error", models.TextField(blank=True, verbose_name="last error")),
                (
                    "record",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="lrs_outbox_entry",
                        to="training.completionrecord",
                        verbose_name="completion record",
                    ),
                ),
            ],
            options={
                "verbose_name": "LRS outbox entry",
                "verbose_name_plural": "LRS outbox entries",
                "ordering": ["record_id"],
                "indexes": [
                    models.Index(
                        fields=["status", "next_attempt_at"],
                        name="hr_export_outbox_due_idx",
                    )
                ],
            },
        ),
    ]
