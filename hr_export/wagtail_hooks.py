"""Admin wiring: the HR export in 研修管理, for training admins."""

from __future__ import annotations

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from training.extension_points import TRAINING_MENU_ITEMS

from .views_admin import TrainingRecordsReport, training_records_permission_policy

report_urls = [
    path("", TrainingRecordsReport.as_view(), name="training_records"),
    path(
        "results/",
        TrainingRecordsReport.as_view(results_only=True),
        name="training_records_results",
    ),
]


@hooks.register("register_admin_urls")
def register_hr_export_urls():
    return [
        path(
            "reports/training-records/",
            include((report_urls, "hr_export"), namespace="hr_export"),
        )
    ]


class _TrainingRecordsMenuItem(MenuItem):
    def is_shown(self, request):
        return training_records_permission_policy.user_has_permission(
            request.user, "view"
        )


@hooks.register(TRAINING_MENU_ITEMS)
def register_training_records_menu_item():
    return _TrainingRecordsMenuItem(
        _("Training records for HR"),
        reverse("hr_export:training_records"),
        name="training-records-for-hr",
        icon_name="download",
        order=1000,
    )
