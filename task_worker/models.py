"""Which task workers are alive: each writes a heartbeat while it runs."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """One running `db_worker`, seen at `seen_at` (refreshed every few seconds).

    A task marked running whose worker has not been seen for
    GOFUN_TASK_WORKER_LOST_AFTER is the task of a worker that died (killed,
    out of memory, the machine gone): see task_worker.services.
    """

    worker_id = models.CharField(_("worker id"), max_length=64, unique=True)
    hostname = models.CharField(_("host name"), max_length=255)
    pid = models.PositiveIntegerField(_("process id"))
    started_at = models.DateTimeField(_("started at"))
    seen_at = models.DateTimeField(_("last seen at"), db_index=True)

    class Meta:
        verbose_name = _("task worker heartbeat")
        verbose_name_plural = _("task worker heartbeats")

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname}:{self.pid})"
