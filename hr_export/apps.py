from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HrExportConfig(AppConfig):
    name = "hr_export"
    verbose_name = _("Records for HR")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks  # noqa: F401 -- registers the system checks
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()
