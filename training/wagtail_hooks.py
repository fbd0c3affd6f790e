"""Admin wiring for training: curricula and external trainings as snippets,
the read-only ledger and its voids, attendance, waivers, people's training
and the compliance reports under 研修管理; the audit log actions; and on the
site, マイ研修 and certifications on the home page, the learner's records in
the navigation, and the demo."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.tables import Column, LiveStatusTagColumn, UpdatedAtColumn
from wagtail.admin.views.generic.models import IndexView
from wagtail.log_actions import LogFormatter
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import DeleteView as SnippetDeleteView
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.extension_points import (
    BACKUP_CHECKS,
    DEMO_LOADERS,
    HOME_PAGE_PANELS,
    SITE_NAVIGATION,
    NavigationLink,
    TemplatePanel,
)
from cms.spreadsheets import SafeSpreadsheetExportMixin
from cms.viewsets import ReadOnlyModelViewSet

from . import views_admin
from .attendance import IMPORT_ACTION
from .extension_points import TRAINING_MENU_ITEMS
from .models import CompletionRecord, Curriculum, ExternalTraining
from .permissions import (
    may_record_attendance,
    may_see_people,
    may_see_rates,
)
from .requirements.services import MATERIAL_CHANGE_ACTION
from .selectors import ledger_digest, pages_hold_training, training_holds
from .services import EXTERNAL_ACTION, VOID_ACTION, WAIVER_ACTION
from .views_admin import records, reports, staff


class AppendOnlyPermissionPolicy(ModelPermissionPolicy):
    """Nobody, not even a superuser, adds, changes or deletes records here:
    voids go through their own view and service."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class CompletionRecordIndexView(SafeSpreadsheetExportMixin, IndexView):
    """The ledger's list; its CSV and XLSX exports cannot carry formulas."""


class CompletionRecordViewSet(ReadOnlyModelViewSet):
    model = CompletionRecord
    index_view_class = CompletionRecordIndexView
    icon = "list-ul"
    menu_label = _("Completion ledger")
    menu_order = 260
    add_to_admin_menu = True
    inspect_view_enabled = True
    inspect_view_class = views_admin.CompletionRecordInspectView
    copy_view_enabled = False
    list_display = [
        "recorded_at",
        "user",
        "kind",
        "lesson",
        "series",
        "external_training",
        "percent",
    ]
    list_filter = ["kind", "recorded_at", "external_training"]
    list_export = [
        "recorded_at",
        "user",
        "kind",
        "lesson",
        "series",
        "page_revision_id",
        "percent",
        "voids_id",
        "reason",
        "recorded_by",
        "external_training",
        "completed_on",
        "requirement_id",
    ]
    inspect_view_fields = [
        "kind",
        "user",
        "lesson",
        "series",
        "external_training",
        "completed_on",
        "page_revision",
        "checkpoint",
        "attempt",
        "percent",
        "recorded_at",
        "requirement",
        "evidence",
        "voids",
        "reason",
        "recorded_by",
    ]

    @property
    def permission_policy(self):
        return AppendOnlyPermissionPolicy(self.model)


@hooks.register("register_admin_viewset")
def register_completion_ledger():
    return CompletionRecordViewSet("completion_ledger")


KEPT_FOR_RECORDS = _(
    "This is kept: training requirements or completion records depend on it. "
    "Unpublish it, or take it out of the curricula, instead."
)


class KeptForRecordsDeleteView(SnippetDeleteView):
    """Refuses to delete what requirements or ledger rows depend on (the
    database would refuse too), saying what to do instead."""

    def form_valid(self, form):
        if training_holds(self.object):
            messages.error(self.request, KEPT_FOR_RECORDS)
            return redirect(self.get_success_url())
        return super().form_valid(form)


class CurriculumViewSet(SnippetViewSet):
    model = Curriculum
    delete_view_class = KeptForRecordsDeleteView
    icon = "list-ol"
    list_display = [
        "name",
        Column("audience", label=_("For")),
        LiveStatusTagColumn(),
        UpdatedAtColumn(),
    ]
    list_filter = ["live", "for_all_staff"]
    search_fields = ["name"]
    search_backend_name = None


class ExternalTrainingViewSet(SnippetViewSet):
    model = ExternalTraining
    delete_view_class = KeptForRecordsDeleteView
    icon = "date"
    list_display = ["name", "code", "kind", "provider"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    search_backend_name = None


register_snippet(CurriculumViewSet)
register_snippet(ExternalTrainingViewSet)


@hooks.register("before_delete_page")
def keep_pages_that_training_names(request, page):
    ids = list(page.get_descendants(inclusive=True).values_list("pk", flat=True))
    if pages_hold_training(page_ids=ids):
        messages.error(request, KEPT_FOR_RECORDS)
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("before_bulk_action")
def keep_what_training_names_in_bulk(request, action_type, objects, action):
    if action_type != "delete":
        return None
    page_ids = []
    for instance in objects:
        if isinstance(instance, Curriculum | ExternalTraining):
            if training_holds(instance):
                messages.error(request, KEPT_FOR_RECORDS)
                return redirect("wagtailadmin_home")
        elif hasattr(instance, "get_descendants"):
            page_ids += instance.get_descendants(inclusive=True).values_list(
                "pk", flat=True
            )
    if page_ids and pages_hold_training(page_ids=page_ids):
        messages.error(request, KEPT_FOR_RECORDS)
        return redirect("wagtailadmin_home")
    return None


REPORT_URLS = [
    path("matrix/", reports.ComplianceMatrixView.as_view(), name="matrix"),
    path(
        "matrix/results/",
        reports.ComplianceMatrixView.as_view(results_only=True),
        name="matrix_results",
    ),
    path("rates/", reports.CompletionRatesView.as_view(), name="rates"),
    path(
        "rates/results/",
        reports.CompletionRatesView.as_view(results_only=True),
        name="rates_results",
    ),
    path("overdue/", reports.OverdueView.as_view(), name="overdue"),
    path(
        "overdue/results/",
        reports.OverdueView.as_view(results_only=True),
        name="overdue_results",
    ),
    path(
        "certifications/",
        reports.CertificationsView.as_view(),
        name="certifications",
    ),
    path(
        "certifications/results/",
        reports.CertificationsView.as_view(results_only=True),
        name="certifications_results",
    ),
]


@hooks.register("register_admin_urls")
def register_training_admin_urls():
    return [
        path(
            "training/completion-records/<id:pk>/void/",
            views_admin.CompletionRecordVoidView.as_view(),
            name="training_completion_record_void",
        ),
        path(
            "training/attendance/record/",
            records.ExternalRecordCreateView.as_view(),
            name="training_external_record",
        ),
        path(
            "training/attendance/import/",
            records.AttendanceImportView.as_view(),
            name="training_attendance_import",
        ),
        path(
            "training/requirements/<id:pk>/waive/",
            records.RequirementWaiveView.as_view(),
            name="training_requirement_waive",
        ),
        path(
            "training/staff/",
            staff.StaffSearchView.as_view(),
            name="training_staff_search",
        ),
        path(
            "training/staff/<id:user_id>/",
            staff.StaffTrainingView.as_view(),
            name="training_staff",
        ),
        path(
            "training/reports/",
            include((REPORT_URLS, "training_reports"), namespace="training_reports"),
        ),
    ]


class _PermittedMenuItem(MenuItem):
    def __init__(self, *args, allowed, **kwargs):
        super().__init__(*args, **kwargs)
        self.allowed = allowed

    def is_shown(self, request):
        return self.allowed(request.user)


def _snippet_permitted(model):
    def allowed(user):
        policy = ModelPermissionPolicy(model)
        return policy.user_has_any_permission(user, ["add", "change", "view"])

    return allowed


# 研修管理: (label, URL name, icon, who sees it)
MENU = [
    (
        _("Curricula"),
        "wagtailsnippets_training_curriculum:list",
        "list-ol",
        _snippet_permitted(Curriculum),
    ),
    (
        _("External trainings and drills"),
        "wagtailsnippets_training_externaltraining:list",
        "date",
        _snippet_permitted(ExternalTraining),
    ),
    (_("Record attendance"), "training_external_record", "plus", may_record_attendance),
    (
        _("Import attendance from a CSV"),
        "training_attendance_import",
        "upload",
        may_record_attendance,
    ),
    (_("Staff training records"), "training_staff_search", "user", may_see_people),
    (_("Training matrix"), "training_reports:matrix", "table", may_see_people),
    (_("Completion rates"), "training_reports:rates", "table", may_see_rates),
    (_("Overdue training"), "training_reports:overdue", "warning", may_see_people),
    (
        _("Skill certifications"),
        "training_reports:certifications",
        "success",
        may_see_people,
    ),
]


@hooks.register("register_admin_menu_item")
def register_training_menu():
    items = [
        _PermittedMenuItem(
            label, reverse(url_name), icon_name=icon, order=number * 10, allowed=allowed
        )
        for number, (label, url_name, icon, allowed) in enumerate(MENU, start=1)
    ]
    return SubmenuMenuItem(
        _("Training management"),
        Menu(items=items, register_hook_name=TRAINING_MENU_ITEMS),
        icon_name="list-ol",
        name="training-management",
        order=255,
    )


class _DataFormatter(LogFormatter):
    """A message filled in from the entry's data (the label if it lacks any)."""

    template = ""

    def format_message(self, log_entry):
        try:
            return gettext(self.template) % log_entry.data
        except (KeyError, TypeError, ValueError):
            return str(self.label)


# action: (label, message filled in from the entry's data)
LOG_ACTIONS = {
    EXTERNAL_ACTION: (
        _("Record attendance"),
        gettext_noop(
            "Recorded attendance of %(learner)s at %(training)s on %(completed_on)s"
        ),
    ),
    WAIVER_ACTION: (
        _("Waive a requirement"),
        gettext_noop("Waived %(item)s: %(reason)s"),
    ),
    VOID_ACTION: (
        _("Void a completion record"),
        gettext_noop("Voided record %(voids)s: %(reason)s"),
    ),
    IMPORT_ACTION: (
        _("Import attendance"),
        gettext_noop(
            "Imported attendance from %(source)s: %(recorded)s recorded, "
            "%(refused)s refused"
        ),
    ),
    MATERIAL_CHANGE_ACTION: (
        _("Material change (re-training)"),
        gettext_noop(
            "Published as a material change: %(reason)s "
            "(%(reopened)s requirements re-opened)"
        ),
    ),
}


@hooks.register("register_log_actions")
def register_training_log_actions(actions):
    for action, (label, template) in LOG_ACTIONS.items():
        formatter = type(
            "TrainingLogFormatter",
            (_DataFormatter,),
            {"label": label, "template": template},
        )
        actions.register_action(action)(formatter)


@hooks.register(SITE_NAVIGATION, order=100)
def register_transcript_link(request):
    if request.user.is_authenticated:
        yield NavigationLink(label=_("My records"), url=reverse("training:transcript"))


@hooks.register(HOME_PAGE_PANELS, order=100)
def register_my_training_panel(request, page):
    from .views import my_training_panel_context

    if not request.user.is_authenticated:
        return None
    return TemplatePanel(
        "training/includes/my_training_panel.html",
        **my_training_panel_context(request),
    )


@hooks.register(HOME_PAGE_PANELS, order=200)
def register_certifications_panel(request, page):
    from .views import certifications_panel_context

    if not request.user.is_authenticated:
        return None
    context = certifications_panel_context(request)
    if not context["certifications"]:
        return None
    return TemplatePanel("training/includes/certifications_panel.html", **context)


@hooks.register(DEMO_LOADERS, order=40)
def register_training_demo(report):
    from .demo import training_demo_load

    training_demo_load(report)


@hooks.register(BACKUP_CHECKS)
def register_ledger_backup_check(db_connection):
    return "completion_ledger", ledger_digest(db_connection=db_connection)
