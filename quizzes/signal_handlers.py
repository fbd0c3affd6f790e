"""Thin receivers: a checkpoint or quiz published, unpublished, edited or
deleted marks the cached checkpoint panels out of date."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from cms import cache_versions

from .models import Attempt, Checkpoint, Quiz


def _checkpoints_changed(sender, **kwargs) -> None:
    if not kwargs.get("raw"):
        cache_versions.bump(cache_versions.CHECKPOINTS)


def register_signal_handlers() -> None:
    # A person's attempts show on the pages built for them (cms.page_caching).
    cache_versions.bump_on_change(Attempt, uid="gofun_cache_person_attempt")
    # Publishing and unpublishing save the object: post_save sees both.
    for model in (Checkpoint, Quiz):
        for signal, uid in ((post_save, "saved"), (post_delete, "deleted")):
            signal.connect(
                _checkpoints_changed,
                sender=model,
                dispatch_uid=f"gofun_cache_{model.__name__}_{uid}",
            )
