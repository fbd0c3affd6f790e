"""Production settings: everything secret or site-specific comes from the environment.

Required: GOFUN_SECRET_KEY, GOFUN_ALLOWED_HOSTS (comma-separated), GOFUN_BASE_URL
(https://…), DATABASE_URL. The process refuses to start without them.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import database_from_environment

GOFUN_ENVIRONMENT = "production"
DEBUG = False

_REQUIRED = [
    "GOFUN_SECRET_KEY",
    "GOFUN_ALLOWED_HOSTS",
    "GOFUN_BASE_URL",
    "DATABASE_URL",
]
_missing = [name for name in _REQUIRED if not os.environ.get(name, "").strip()]
if _missing:
    raise ImproperlyConfigured(
        "Production settings need these environment variables: " + ", ".join(_missing)
    )


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ["GOFUN_SECRET_KEY"]
ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ["GOFUN_ALLOWED_HOSTS"].split(",")
    if host.strip()
]
WAGTAILADMIN_BASE_URL = os.environ["GOFUN_BASE_URL"].rstrip("/")
CSRF_TRUSTED_ORIGINS = [WAGTAILADMIN_BASE_URL]
DATABASES = {"default": database_from_environment(None)}

# The fronting proxy appends the client's address to X-Forwarded-For; sign-in
# throttling counts per client address, not per proxy.
GOFUN_PROXY_COUNT = int(os.environ.get("GOFUN_PROXY_COUNT", "1"))

GOFUN_REMOTE_USER_SSO = _flag("GOFUN_REMOTE_USER_SSO", False)
GOFUN_REMOTE_USER_HEADER = os.environ.get(
    "GOFUN_REMOTE_USER_HEADER",
    GOFUN_REMOTE_USER_HEADER,  # noqa: F405
)

# TLS is terminated by the fronting proxy, which sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = _flag("GOFUN_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("GOFUN_HSTS_SECONDS", 60 * 60 * 24 * 365))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("GOFUN_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = _flag("GOFUN_HSTS_PRELOAD", True)
# Cookies only over HTTPS. GOFUN_SECURE_COOKIES=0 is for a loopback stack
# without TLS (bin/stack), never for a site staff reach over a network.
SESSION_COOKIE_SECURE = _flag("GOFUN_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
# Wagtail marks its preview views SAMEORIGIN itself; everything else is DENY.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
}

EMAIL_HOST = os.environ.get("GOFUN_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("GOFUN_EMAIL_PORT", "25"))
