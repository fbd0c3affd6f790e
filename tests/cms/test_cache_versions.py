"""Versions kept in the cache name what cached fragments were built from: a
bump changes them for every process sharing the cache, and a version lost
with the cache is never issued again."""

import pytest
from django.core.cache import cache

from cms import cache_versions

pytestmark = pytest.mark.django_db


def test_a_bump_changes_the_version(shared_cache):
    before = cache_versions.current(cache_versions.TREE)

    cache_versions.bump(cache_versions.TREE)

    assert cache_versions.current(cache_versions.TREE) != before


def test_a_version_is_kept_in_the_cache_not_in_the_process(shared_cache):
    version = cache_versions.current(cache_versions.CHECKPOINTS)

    assert cache.get("gofun:version:" + cache_versions.CHECKPOINTS) == version


def test_a_version_lost_with_the_cache_is_not_issued_again(shared_cache):
    seen = set()
    for _ in range(20):
        seen.add(cache_versions.current(cache_versions.TREE))
        cache.clear()

    assert len(seen) == 20


def test_names_bumped_apart_change_apart(shared_cache):
    tree = cache_versions.current(cache_versions.TREE)
    media = cache_versions.current(cache_versions.MEDIA)

    cache_versions.bump(cache_versions.MEDIA)

    assert cache_versions.current(cache_versions.TREE) == tree
    assert cache_versions.current(cache_versions.MEDIA) != media
    assert cache_versions.current_many(
        cache_versions.TREE, cache_versions.MEDIA
    ) == ".".join(
        (
            cache_versions.current(cache_versions.TREE),
            cache_versions.current(cache_versions.MEDIA),
        )
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_bump_inside_a_transaction_is_made_again_when_it_commits(shared_cache):
    from django.db import transaction

    with transaction.atomic():
        cache_versions.bump(cache_versions.TREE)
        during = cache_versions.current(cache_versions.TREE)

    assert cache_versions.current(cache_versions.TREE) != during
