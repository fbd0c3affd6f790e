"""Settings for the test suite: SQLite, or PostgreSQL when DATABASE_URL is set."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import database_from_environment

GOFUN_ENVIRONMENT = "test"
DEBUG = False
SECRET_KEY = "gofun-test-key-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]

# The test database is a file, not SQLite's shared in-memory database, so that
# tests with several threads exercise the same locking as the real site.
_test_sqlite = Path(tempfile.gettempdir()) / f"gofun-test-{os.getpid()}.sqlite3"
DATABASES = {"default": database_from_environment(_test_sqlite)}
DATABASES["default"]["TEST"] = {"NAME": str(_test_sqlite)}
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {}
    DATABASES["default"]["CONN_MAX_AGE"] = 0

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# One process: its local memory is the only cache (tests of Redis set it).
GOFUN_PERSONAL_PAGE_CACHE = True
# Serve static files from the apps without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# A child process a test starts may be given its own media folder.
MEDIA_ROOT = Path(
    os.environ.get("GOFUN_TEST_MEDIA_ROOT")
    or Path(tempfile.gettempdir()) / f"gofun-test-media-{os.getpid()}"
)
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
