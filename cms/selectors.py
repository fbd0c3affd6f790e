"""Reads the site frame needs on every page."""

from __future__ import annotations

from django.core.cache import cache

from . import cache_versions

ADMIN_ACCESS_PERMISSION = "wagtailadmin.access_admin"


def admin_link_shown_to(request) -> bool:
    """Whether the header offers this person the admin (staff, or allowed
    into Wagtail's admin).

    The permission check reads two tables; its answer is cached for the
    session, keyed by the session, the person and the permissions' version
    (cms.cache_versions.PERMISSIONS: group membership and permissions), so
    signing out (a new session) or a change of groups asks again.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff or user.is_superuser:
        return True
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    if not session_key:
        return user.has_perm(ADMIN_ACCESS_PERMISSION)
    version = cache_versions.current(cache_versions.PERMISSIONS)
    key = f"gofun:admin-link:{version}:{user.pk}:{cache_versions.digest(session_key)}"
    return cache.get_or_set(
        key,
        lambda: user.has_perm(ADMIN_ACCESS_PERMISSION),
        timeout=cache_versions.KEEP_SECONDS,
    )
