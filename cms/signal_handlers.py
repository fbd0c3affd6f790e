"""Thin receivers that mark cached fragments out of date (cms.cache_versions):
the page tree and its view restrictions, images, who may do what, sites and
people's accounts."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import cache_versions


def _tree_changed(sender, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    cache_versions.bump(cache_versions.TREE)


def _page_saved_or_deleted(sender, instance, **kwargs) -> None:
    # Every saved page, drafts included: a save can change a slug, a title or
    # `live`, and nothing cheaper tells which (a draft's save is rare enough).
    if isinstance(instance, Page):
        _tree_changed(sender, **kwargs)


def _restriction_groups_changed(sender, action: str, **kwargs) -> None:
    if action.startswith("post_"):
        cache_versions.bump(cache_versions.TREE)


def _media_changed(sender, **kwargs) -> None:
    if not kwargs.get("raw"):
        cache_versions.bump(cache_versions.MEDIA)


def _permissions_changed(sender, action: str = "post_", **kwargs) -> None:
    if action.startswith("post_"):
        cache_versions.bump(cache_versions.PERMISSIONS)


def _sites_changed(sender, **kwargs) -> None:
    if not kwargs.get("raw"):
        cache_versions.bump(cache_versions.SITES)


def register_signal_handlers() -> None:
    for signal, uid in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(
            _sites_changed, sender=Site, dispatch_uid=f"gofun_cache_sites_{uid}"
        )
    # A person's name and flags show in every page built for them.
    cache_versions.bump_on_change(
        get_user_model(),
        person_of=lambda user: user.pk,
        uid="gofun_cache_person_account",
    )
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(_tree_changed, dispatch_uid=f"gofun_cache_tree_{signal!r}")
    post_save.connect(_page_saved_or_deleted, dispatch_uid="gofun_cache_page_saved")
    post_delete.connect(_page_saved_or_deleted, dispatch_uid="gofun_cache_page_deleted")
    for signal, uid in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(
            _tree_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"gofun_cache_restriction_{uid}",
        )
    m2m_changed.connect(
        _restriction_groups_changed,
        sender=PageViewRestriction.groups.through,
        dispatch_uid="gofun_cache_restriction_groups",
    )
    # A replaced image file changes its renditions' URLs and sizes.
    for signal, uid in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(
            _media_changed,
            sender=get_image_model(),
            dispatch_uid=f"gofun_cache_media_{uid}",
        )
    User = get_user_model()
    for through in (
        User.groups.through,
        User.user_permissions.through,
        Group.permissions.through,
    ):
        m2m_changed.connect(
            _permissions_changed,
            sender=through,
            dispatch_uid=f"gofun_cache_permissions_{through.__name__}",
        )
    for model in (Group, Permission):
        post_delete.connect(
            _permissions_changed,
            sender=model,
            dispatch_uid=f"gofun_cache_permissions_{model.__name__}_deleted",
        )
