"""Settings for benchmarks: production-like (DEBUG off) on a throwaway database.

DATABASE_URL is required, so a benchmark never touches a developer's
db.sqlite3. Sessions and caches behave as in production.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from cms.settings.base import *  # noqa: F403
from cms.settings.base import database_from_environment

GOFUN_ENVIRONMENT = "bench"
DEBUG = False
SECRET_KEY = "gofun-bench-key-not-secret"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
DATABASES = {"default": database_from_environment(None)}
if not DATABASES["default"]:
    raise ImproperlyConfigured("Benchmarks need DATABASE_URL (a throwaway database).")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {"version": 1, "disable_existing_loggers": False}
WHITENOISE_USE_FINDERS = True  # statics from the apps, no collectstatic
STATIC_ROOT = None  # WhiteNoise serves from the apps (above); nothing collected
# GOFUN_BENCH_VIEW_RECORDER=buffered measures the lesson page with the queuing
# view recorder (analytics.recorders.BufferedViewRecorder) instead of the
# default one-INSERT-per-view recorder.
if os.environ.get("GOFUN_BENCH_VIEW_RECORDER") == "buffered":
    GOFUN_VIEW_RECORDER = {"BACKEND": "analytics.recorders.BufferedViewRecorder"}
