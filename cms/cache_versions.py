"""Named versions, kept in the cache, that cached fragments are keyed by.

A cached fragment names the versions of what it was built from (say the
lesson tree's, `TREE`); a change bumps the version and every fragment built
from the old one is never read again. Versions live in the cache itself
(`CACHES["default"]`), not in process memory, so a publish answered by one
gunicorn worker invalidates what the other worker cached; a version is a
random token, not a counter, so a version lost to eviction or a restart is
never reissued (a counter starting again at 1 would revive stale entries).

A change bumps its version twice: at once, so a read later in the same
transaction sees it, and again when the transaction commits, so a read that
ran between the first bump and the commit (and cached what it read before
the change was visible) is not read afterwards.

The names (one per kind of change, bumped by the app that owns the change):
- TREE: pages of the lesson tree published, unpublished, moved, saved or
  deleted; view restrictions saved or deleted (learning_series).
- CHECKPOINTS: checkpoints and quizzes published, unpublished or edited
  (quizzes).
- MEDIA: images and their renditions changed (learning_series).
- VIEW_TOTALS: the view counts' roll-up rewritten (analytics).
- PERMISSIONS: group membership and permissions changed (cms).
- SITES: Wagtail sites saved or deleted (cms).
- TRAINING: what many people owe changed at once: curricula, external
  training, a requirement sync (training).
- person(user_id): one person's own standing changed: their records,
  attempts, requirements, roles or account (the app that owns the row).
"""

from __future__ import annotations

import hashlib
import secrets
import threading

from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.signals import request_finished, request_started
from django.db import transaction

TREE = "tree"
CHECKPOINTS = "checkpoints"
MEDIA = "media"
VIEW_TOTALS = "view-totals"
PERMISSIONS = "permissions"
SITES = "sites"
TRAINING = "training"

_PREFIX = "gofun:version:"
# How long an entry keyed by versions is kept at most: a bump leaves the
# entries of the old version behind, never read again, and a cache without
# a memory limit (or evicting nothing) would keep them for ever.
KEEP_SECONDS = 24 * 60 * 60
# Versions outlive the entries keyed by them; a lost one is simply reissued.
_VERSION_SECONDS = None


def _key(name: str) -> str:
    return f"{_PREFIX}{name}"


# While a request is served, the versions it has read, so that each is read
# from the cache once per request (a lesson page asks for the tree's eight
# times); a change the request makes updates them. Nothing is kept between
# requests, nor outside one (the worker, commands).
_request = threading.local()


def _request_started(**kwargs) -> None:
    _request.versions = {}


def _request_finished(**kwargs) -> None:
    _request.versions = None


request_started.connect(_request_started, dispatch_uid="gofun_versions_started")
request_finished.connect(_request_finished, dispatch_uid="gofun_versions_finished")


def _read_in_request() -> dict | None:
    return getattr(_request, "versions", None)


def current(name: str) -> str:
    """The current version of `name` (made up, and kept, if there is none)."""
    read = _read_in_request()
    if read is not None and name in read:
        return read[name]
    version = cache.get(_key(name))
    if version is None:
        cache.add(_key(name), secrets.token_hex(8), timeout=_VERSION_SECONDS)
        version = cache.get(_key(name))
    if read is not None and version is not None:
        read[name] = version
    return version


def current_many(*names: str) -> str:
    """The current versions of several names in one string (one cache read
    for those this request has not read yet, when they are all there)."""
    read = _read_in_request()
    known = read if read is not None else {}
    missing = [name for name in names if name not in known]
    found = cache.get_many([_key(name) for name in missing]) if missing else {}
    fresh = {name: found[_key(name)] for name in missing if _key(name) in found}
    if read is not None:
        read.update(fresh)
    return ".".join(
        known.get(name) or fresh.get(name) or current(name) for name in names
    )


def _bump(name: str) -> None:
    key, version = _key(name), secrets.token_hex(8)
    read = _read_in_request()
    if read is not None:
        read.pop(name, None)
    # django-redis says True once Redis has the value; a write it logged and
    # ignored (a full Redis refuses writes, a timeout) says otherwise.
    if cache.set(key, version, timeout=_VERSION_SECONDS) is True:
        return
    if cache.get(key) != version:
        # Never keep the old version: everything cached under it would be
        # read again once Redis writes. Gone, it is made up afresh (deleting
        # frees memory, so a full Redis still allows it).
        cache.delete(key)


def bump(name: str) -> None:
    """Mark `name` changed: now, and again when the transaction commits."""
    _bump(name)
    transaction.on_commit(lambda: _bump(name))


def person(user_id: int) -> str:
    """The name of one person's own version (see the list above)."""
    return f"person:{user_id}"


def bump_people(user_ids) -> None:
    """Mark these people's own standing changed (`None` entries are skipped)."""
    for user_id in {user_id for user_id in user_ids if user_id is not None}:
        bump(person(user_id))


def bump_on_change(model, *, person_of=None, uid: str) -> None:
    """Bump a person's version when a row of `model` that names them is
    saved or deleted (`person_of(row)`, by default its `user_id`), and
    TRAINING when the row names nobody."""
    from django.db.models.signals import post_delete, post_save

    person_of = person_of or (lambda instance: getattr(instance, "user_id", None))

    def changed(sender, instance, **kwargs) -> None:
        if kwargs.get("raw"):
            return
        user_id = person_of(instance)
        bump(person(user_id) if user_id is not None else TRAINING)

    for signal, action in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(
            changed, sender=model, weak=False, dispatch_uid=f"{uid}_{action}"
        )


# An entry whose key names the versions it was built from never changes
# under that key, so each process also keeps the ones it read last in its
# own memory, in front of a shared cache (Redis): a lesson page reads half a
# dozen of them, each a round trip otherwise.
_in_process = LocMemCache(
    "gofun-versioned", {"TIMEOUT": 300, "OPTIONS": {"MAX_ENTRIES": 5000}}
)
_MISSING = object()


def versioned(key: str, build, *, timeout: int = KEEP_SECONDS):
    """`cache.get_or_set(key, build)` for a key that names the versions its
    value was built from (read from this process's memory first)."""
    shared = not isinstance(caches["default"], LocMemCache)
    if shared:
        found = _in_process.get(key, _MISSING)
        if found is not _MISSING:
            return found
    value = cache.get_or_set(key, build, timeout=timeout)
    if shared:
        _in_process.set(key, value, timeout=min(timeout, 300))
    return value


def digest(*parts) -> str:
    """A short stable digest of `parts`, for a cache key (sessions, paths)."""
    text = "\x1f".join(str(part) for part in parts)
    return hashlib.sha256(text.encode()).hexdigest()[:32]
