"""Admin wiring for training: the read-only completion ledger and its voids,
and the learner's records in the site's navigation."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from cms.extension_points import BACKUP_CHECKS, SITE_NAVIGATION, NavigationLink
from cms.spreadsheets import SafeSpreadsheetExportMixin

from . import views_admin
from .models import CompletionRecord
from .selectors import ledger_digest


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


class CompletionRecordViewSet(ModelViewSet):
    model = CompletionRecord
    index_view_class = CompletionRecordIndexView
    icon = "list-ul"
    menu_label = _("Completion ledger")
    menu_order = 260
    add_to_admin_menu = True
    inspect_view_enabled = True
    inspect_view_class = views_admin.CompletionRecordInspectView
    copy_view_enabled = False
    list_display = ["recorded_at", "user", "kind", "lesson", "series", "percent"]
    list_filter = ["kind", "recorded_at"]
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
    ]
    inspect_view_fields = [
        "kind",
        "user",
        "lesson",
        "series",
        "page_revision",
        "checkpoint",
        "attempt",
        "percent",
        "recorded_at",
        "voids",
        "reason",
        "recorded_by",
    ]

    @property
    def permission_policy(self):
        return AppendOnlyPermissionPolicy(self.model)

    def get_urlpatterns(self):
        # Only reading: the add, edit and delete views are not routed at all.
        conv = self.pk_path_converter
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path(f"inspect/<{conv}:pk>/", self.inspect_view, name="inspect"),
        ]


@hooks.register("register_admin_viewset")
def register_completion_ledger():
    return CompletionRecordViewSet("completion_ledger")


@hooks.register("register_admin_urls")
def register_training_admin_urls():
    return [
        path(
            "training/completion-records/<id:pk>/void/",
            views_admin.CompletionRecordVoidView.as_view(),
            name="training_completion_record_void",
        ),
    ]


@hooks.register(SITE_NAVIGATION, order=100)
def register_transcript_link(request):
    if request.user.is_authenticated:
        yield NavigationLink(label=_("My records"), url=reverse("training:transcript"))


@hooks.register(BACKUP_CHECKS)
def register_ledger_backup_check(db_connection):
    return "completion_ledger", ledger_digest(db_connection=db_connection)
