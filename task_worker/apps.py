from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TaskWorkerConfig(AppConfig):
    name = "task_worker"
    verbose_name = _("Task workers")
    default_auto_field = "django.db.models.BigAutoField"
