"""Announce every change to who holds which role, whatever made it."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from cms import cache_versions

from .models import Division, JobRole, Post, RoleAssignment
from .services import role_assignment_changed_on_commit


def _assignment_changed(sender, instance: RoleAssignment, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    role_assignment_changed_on_commit(profile_id=instance.profile_id)


def register_signal_handlers() -> None:
    # Names of roles, divisions and posts show on pages built for people.
    for model in (JobRole, Division, Post):
        cache_versions.bump_on_change(
            model,
            person_of=lambda instance: None,
            uid=f"gofun_cache_training_{model._meta.label_lower}",
        )
    post_save.connect(_assignment_changed, sender=RoleAssignment)
    post_delete.connect(_assignment_changed, sender=RoleAssignment)
