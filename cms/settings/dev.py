"""Settings for a developer's machine and the demo served by `make run`."""

from .base import *  # noqa: F403

GOFUN_ENVIRONMENT = "dev"
DEBUG = True
# A fixed key is fine here: dev settings never serve real staff.
SECRET_KEY = "django-insecure-gofun-development-only-key"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
# Serve static files from the apps without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

try:
    from .local import *  # noqa: F403
except ImportError:
    pass
