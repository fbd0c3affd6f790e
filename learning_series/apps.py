from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningSeriesConfig(AppConfig):
    name = "learning_series"
    verbose_name = _("Lessons and series")
    default_auto_field = "django.db.models.BigAutoField"
