"""Announce every change to who holds which role, whatever made it."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from .models import RoleAssignment
from .services import role_assignment_changed_on_commit


def _assignment_changed(sender, instance: RoleAssignment, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    role_assignment_changed_on_commit(profile_id=instance.profile_id)


def register_signal_handlers() -> None:
    post_save.connect(_assignment_changed, sender=RoleAssignment)
    post_delete.connect(_assignment_changed, sender=RoleAssignment)
