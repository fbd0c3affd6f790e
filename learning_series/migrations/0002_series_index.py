"""Create the lesson tree's root, the series index, below the home page."""

from django.db import migrations


def create_series_index(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    HomePage = apps.get_model("cms.HomePage")
    SeriesIndexPage = apps.get_model("learning_series.SeriesIndexPage")

    home = HomePage.objects.get(depth=2, slug="home")
    if home.numchild:
        return
    index_type, _ = ContentType.objects.get_or_create(
        app_label="learning_series", model="seriesindexpage"
    )
    SeriesIndexPage.objects.create(
        title="シリーズ一覧",
        draft_title="シリーズ一覧",
        slug="series",
        content_type=index_type,
        path=home.path + "0001",
        depth=home.depth + 1,
        numchild=0,
        url_path=home.url_path + "series/",
        locale_id=home.locale_id,
        live=True,
        intro="5分で読めるスライド教材を、テーマごとのシリーズにまとめています。",
    )
    home.numchild = 1
    home.save(update_fields=["numchild"])


class Migration(migrations.Migration):
    dependencies = [
        ("learning_series", "0001_initial"),
        ("cms", "0002_home_page_and_job_roles"),
    ]

    operations = [
        migrations.RunPython(create_series_index, migrations.RunPython.noop),
    ]
