from django.apps import AppConfig
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Site")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .converters import DatabaseIdConverter
        from .display_names import register

        # Before any URLconf is imported: every app's ids use "<id:...>".
        register_converter(DatabaseIdConverter, "id")
        register()

        from .signal_handlers import register_signal_handlers

        register_signal_handlers()
