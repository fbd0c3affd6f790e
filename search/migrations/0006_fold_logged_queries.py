"""The query log keeps each query folded for width and case as well, so the
reports count ＵＳＢ, USB and usb as one query; existing rows are folded here."""

import unicodedata

from django.db import migrations, models


def fold_existing_queries(apps, schema_editor):
    SearchQuery = apps.get_model("gofun_search", "SearchQuery")
    for entry in SearchQuery.objects.only("pk", "query").iterator(chunk_size=1000):
        # As search.analysis.fold at the time of writing.
        folded = unicodedata.normalize("NFKC", entry.query).lower()[:200]
        SearchQuery.objects.filter(pk=entry.pk).update(query_folded=folded)


class Migration(migrations.Migration):
    dependencies = [("gofun_search", "0005_lesson_entries_for_the_admin")]

    operations = [
        migrations.AddField(
            model_name="searchquery",
            name="query_folded",
            field=models.CharField(
                db_index=True,
                default="",
                max_length=200,
                verbose_name="query (folded)",
            ),
        ),
        migrations.RunPython(fold_existing_queries, migrations.RunPython.noop),
    ]
