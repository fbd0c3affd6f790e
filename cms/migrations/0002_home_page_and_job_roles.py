"""Replace Wagtail's welcome page with Gofun's home page and add the job roles."""

from django.db import migrations

HOME_TITLE = "5分で学べるシリーズ"

JOB_ROLES = [
    ("general", "一般職員", "すべての省員。", 10),
    (
        "lan_it",
        "LAN・IT機器担当",
        "各課室に配置され、課室のLAN・IT機器の管理と一次対応を担う。",
        20,
    ),
    (
        "pjmo",
        "PJMO",
        "情報システムを保有する課室で、システムのプロジェクト管理を担う。",
        30,
    ),
    (
        "regional",
        "広域担当官",
        "在外公館に配置され、担当地域の公館のIT環境を支援する。",
        40,
    ),
]


def create_home_page(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("cms.HomePage")

    page_type = ContentType.objects.get(app_label="wagtailcore", model="page")
    Page.objects.filter(content_type=page_type, slug="home", depth=2).delete()
    home_type, _ = ContentType.objects.get_or_create(app_label="cms", model="homepage")
    home = HomePage.objects.create(
        title=HOME_TITLE,
        draft_title=HOME_TITLE,
        slug="home",
        content_type=home_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=Locale.objects.order_by("pk").first(),
        live=True,
    )
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={
            "hostname": "localhost",
            "port": 80,
            "site_name": "Gofun",
            "root_page": home,
        },
    )


def create_job_roles(apps, schema_editor):
    JobRole = apps.get_model("cms.JobRole")
    for code, name, description, sort_order in JOB_ROLES:
        JobRole.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "description": description,
                "sort_order": sort_order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0001_initial"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [
        migrations.RunPython(create_home_page, migrations.RunPython.noop),
        migrations.RunPython(create_job_roles, migrations.RunPython.noop),
    ]
