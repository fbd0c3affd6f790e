"""Permission groups and the editorial workflow "編集審査".

Authors add and edit lessons and submit them for review but never publish;
editors approve, reject and publish; training admins keep the organisation.
Every signed-in user is a learner and needs no group. Wagtail's default
"Moderators"/"Editors" groups and their workflow are removed while unused, so
the admin shows only the groups this project defines.
"""

from django.db import migrations

AUTHORS = "執筆者"
EDITORS = "編集者"
TRAINING_ADMINS = "研修担当"
WORKFLOW = "編集審査"
TASK = "編集者による承認"

AUTHOR_PAGE_PERMISSIONS = ["add_page", "change_page"]
EDITOR_PAGE_PERMISSIONS = [
    "add_page",
    "change_page",
    "publish_page",
    "lock_page",
    "unlock_page",
]
MEDIA_PERMISSIONS = {
    ("wagtailimages", "image"): ["add_image", "change_image", "choose_image"],
    ("wagtaildocs", "document"): ["add_document", "change_document", "choose_document"],
}
ORGANISATION_MODELS = ["jobrole", "division", "post", "staffprofile"]


def _permission(apps, app_label, model, codename):
    ContentType = apps.get_model("contenttypes.ContentType")
    Permission = apps.get_model("auth.Permission")
    content_type, _ = ContentType.objects.get_or_create(
        app_label=app_label, model=model
    )
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename=codename,
        defaults={"name": codename.replace("_", " ").capitalize()},
    )
    return permission


def create_groups_and_workflow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Group = apps.get_model("auth.Group")
    Collection = apps.get_model("wagtailcore.Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore.GroupCollectionPermission")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore.WorkflowPage")
    Task = apps.get_model("wagtailcore.Task")
    GroupApprovalTask = apps.get_model("wagtailcore.GroupApprovalTask")
    SeriesIndexPage = apps.get_model("learning_series.SeriesIndexPage")

    lesson_tree = SeriesIndexPage.objects.order_by("path").first()
    root_collection = Collection.objects.get(depth=1)
    access_admin = _permission(apps, "wagtailadmin", "admin", "access_admin")

    authors, _ = Group.objects.get_or_create(name=AUTHORS)
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    training_admins, _ = Group.objects.get_or_create(name=TRAINING_ADMINS)
    for group in (authors, editors, training_admins):
        group.permissions.add(access_admin)

    for group, codenames in (
        (authors, AUTHOR_PAGE_PERMISSIONS),
        (editors, EDITOR_PAGE_PERMISSIONS),
    ):
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page_id=lesson_tree.pk,
                permission=_permission(apps, "wagtailcore", "page", codename),
            )
        for (app_label, model), media_codenames in MEDIA_PERMISSIONS.items():
            for codename in media_codenames:
                GroupCollectionPermission.objects.get_or_create(
                    group=group,
                    collection=root_collection,
                    permission=_permission(apps, app_label, model, codename),
                )

    for model in ORGANISATION_MODELS:
        for action in ("add", "change", "delete", "view"):
            training_admins.permissions.add(
                _permission(apps, "cms", model, f"{action}_{model}")
            )

    # Wagtail's defaults, unused in a fresh project.
    default_workflows = Workflow.objects.filter(name="Moderators approval")
    Task.objects.filter(
        pk__in=WorkflowTask.objects.filter(workflow__in=default_workflows).values(
            "task_id"
        )
    ).delete()
    default_workflows.delete()
    Group.objects.filter(name__in=["Moderators", "Editors"], user__isnull=True).delete()

    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task = GroupApprovalTask.objects.filter(name=TASK).first()
    if task is None:
        task = GroupApprovalTask.objects.create(
            name=TASK, content_type=task_type, active=True
        )
    task.groups.set([editors])
    workflow, _ = Workflow.objects.get_or_create(
        name=WORKFLOW, defaults={"active": True}
    )
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(
        page_id=lesson_tree.pk, defaults={"workflow": workflow}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0002_home_page_and_job_roles"),
        ("learning_series", "0002_series_index"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailadmin", "0006_formstate"),
    ]

    operations = [
        migrations.RunPython(create_groups_and_workflow, migrations.RunPython.noop),
    ]
