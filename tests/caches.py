"""The cache page tests run on: Django's local memory (the default) and
Redis as production runs it (django-redis on Debian's redis-server, started
by the tests on a free port). `shared_cache` runs a test on both."""

from __future__ import annotations

import shutil

import pytest
from django.core.cache import cache

from bench.support import redis_server

REDIS_SERVER = shutil.which("redis-server")


@pytest.fixture(scope="session")
def redis_url():
    """A throwaway redis-server for the session (nothing saved to disk)."""
    if REDIS_SERVER is None:
        pytest.skip(
            "redis-server is not installed (apt-get install redis-server): "
            "the Redis leg of the cache tests needs it"
        )
    with redis_server() as url:
        yield url


@pytest.fixture(params=["locmem", "redis"])
def shared_cache(request, settings):
    """The default cache as local memory, then as Redis; empty either way."""
    if request.param == "redis":
        settings.CACHES = {
            "default": {
                "BACKEND": "django_redis.cache.RedisCache",
                "LOCATION": request.getfixturevalue("redis_url"),
            }
        }
    cache.clear()
    yield request.param
    cache.clear()
