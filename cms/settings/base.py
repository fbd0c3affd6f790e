"""Settings shared by every environment; the environment modules import these."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

# Set by each environment module; commands that must never run in production
# (the demo loader) read it.
GOFUN_ENVIRONMENT = "base"

INSTALLED_APPS = [
    "cms",
    "organisation",
    "learning_series",
    "quizzes",
    "training",
    "certificates",
    "reminders",
    "search",
    "analytics",
    "hr_export",
    # Before django_tasks_db: its db_worker command adds heartbeats.
    "task_worker",
    "wagtail.contrib.redirects",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "django_tasks_db",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "axes",
    "csp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cms.middleware.InterfaceLanguageMiddleware",
    # Wagtail's site for the request, from the cache (cms.page_caching).
    "cms.page_caching.CachedSiteMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cms.middleware.ProxyRemoteUserMiddleware",
    # Before anything reads a request body (CSRF reads the form in its
    # process_view): refuses anonymous and over-size uploads on Content-Length.
    "cms.middleware.RequestBodyLimitMiddleware",
    # The whole site is for signed-in staff; views that must stay open
    # (sign-in, the health check) are marked with @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Signs out an idle session before sign-in is required (process_view).
    "cms.middleware.IdleSessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: answers a locked-out sign-in.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cms.context_processors.content_language",
            ],
        },
    },
]

WSGI_APPLICATION = "cms.wsgi.application"


def sqlite_database(path: Path | str) -> dict:
    """An SQLite database configured for concurrent writers.

    WAL lets readers run beside the single writer; IMMEDIATE transactions take
    the write lock when the transaction begins, so a read-then-write transaction
    waits for the busy timeout instead of failing at once with "database is
    locked" when another writer got there first.
    """
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA busy_timeout=20000;"
            ),
        },
    }


def database_from_environment(default_sqlite_path: Path | str | None) -> dict:
    """The database named by DATABASE_URL, else the embedded SQLite default."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        if config["ENGINE"] == "django.db.backends.sqlite3":
            # Kept open across requests as PostgreSQL's are: opening one runs
            # the PRAGMAs above and cost a served page more than its queries.
            return {
                **sqlite_database(config["NAME"]),
                "CONN_MAX_AGE": config["CONN_MAX_AGE"],
                "CONN_HEALTH_CHECKS": config["CONN_HEALTH_CHECKS"],
            }
        return config
    if default_sqlite_path is None:
        return {}
    return sqlite_database(default_sqlite_path)


DATABASES = {"default": database_from_environment(BASE_DIR / "db.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    # First: counts failed sign-ins and refuses a locked account or address,
    # whichever login URL (ours, Wagtail's admin login) is used.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "cms.auth.StaffRemoteUserBackend",
]

# Sign-in throttling (django-axes): after GOFUN_SIGNIN_FAILURE_LIMIT failed
# attempts an account, and separately an address, is locked for
# GOFUN_SIGNIN_LOCKOUT_MINUTES; a success resets the count. Administrators
# unlock with `manage.py axes_reset_username USERNAME` or `axes_reset_ip IP`.
AXES_FAILURE_LIMIT = int(os.environ.get("GOFUN_SIGNIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(
    minutes=int(os.environ.get("GOFUN_SIGNIN_LOCKOUT_MINUTES", "15"))
)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "cms.views.sign_in_locked_out"
AXES_CLIENT_IP_CALLABLE = "cms.auth.client_ip_address"
AXES_VERBOSE = False
# How many proxies in front of the site append to X-Forwarded-For; 0 reads
# the connection's address. Production sets it (see production.py).
GOFUN_PROXY_COUNT = 0

# Idle timeout: a signed-in session unused for this long ends (the sign-in
# page says why). SESSION_COOKIE_AGE stays the absolute limit.
GOFUN_SESSION_IDLE_TIMEOUT = timedelta(
    minutes=int(os.environ.get("GOFUN_SESSION_IDLE_MINUTES", "30"))
)
SESSION_COOKIE_AGE = 60 * 60 * 12

# Request bodies are refused on their Content-Length before anything reads
# them (cms.middleware.RequestBodyLimitMiddleware): uploads by path prefix,
# every other request by the general limit, anonymous ones by a small one.
GOFUN_MAX_REQUEST_BODY = 10 * 1024 * 1024
GOFUN_ANONYMOUS_MAX_REQUEST_BODY = 64 * 1024
_MULTIPART_ROOM = 256 * 1024
GOFUN_PPTX_MAX_UPLOAD_SIZE = 50 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
GOFUN_DOCUMENT_MAX_UPLOAD_SIZE = 50 * 1024 * 1024
GOFUN_UPLOAD_BODY_LIMITS = {
    "/admin/lessons/import-pptx/": GOFUN_PPTX_MAX_UPLOAD_SIZE + _MULTIPART_ROOM,
    "/admin/lessons/import-markdown/": 1024 * 1024 + _MULTIPART_ROOM,
    "/admin/images/": WAGTAILIMAGES_MAX_UPLOAD_SIZE + _MULTIPART_ROOM,
    "/admin/documents/": GOFUN_DOCUMENT_MAX_UPLOAD_SIZE + _MULTIPART_ROOM,
}

# Content-Security-Policy (django-csp): enforced on the learner site, which
# has no inline script or style; Wagtail's admin needs inline code, so there
# the same policy is only reported.
_CSP_DIRECTIVES = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'self'"],
}
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": _CSP_DIRECTIVES,
}
CONTENT_SECURITY_POLICY_REPORT_ONLY = {
    "EXCLUDE_URL_PREFIXES": [],
    "DIRECTIVES": _CSP_DIRECTIVES,
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"
WAGTAILADMIN_LOGIN_URL = "login"

# Single sign-on from a fronting proxy: when on, the proxy's REMOTE_USER
# header signs staff in (see cms.middleware). Off unless a deployment says so.
GOFUN_REMOTE_USER_SSO = False
GOFUN_REMOTE_USER_HEADER = "HTTP_X_REMOTE_USER"

LANGUAGE_CODE = "ja"
LANGUAGES = [
    ("ja", _("Japanese")),
    ("en", _("English")),
]
WAGTAIL_CONTENT_LANGUAGES = [("ja", _("Japanese"))]
WAGTAILADMIN_PERMITTED_LANGUAGES = [("ja", "日本語"), ("en", "English")]
# Gofun's own messages first, then the Wagtail messages that Wagtail's
# Japanese catalogue lacks or words otherwise than Gofun's glossary; both
# take precedence over the apps' own catalogues.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_wagtail"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "static"
STATIC_URL = "/static/"

# Uploaded files; GOFUN_MEDIA_ROOT moves them (shared storage, bin/stack).
MEDIA_ROOT = Path(os.environ.get("GOFUN_MEDIA_ROOT", "").strip() or BASE_DIR / "media")
MEDIA_URL = "/media/"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Wagtail's page editor posts many fields for a long slide deck.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = "Gofun 5分で学べるシリーズ"
WAGTAILADMIN_BASE_URL = os.environ.get(
    "GOFUN_BASE_URL", "http://127.0.0.1:8000"
).rstrip("/")
WAGTAIL_I18N_ENABLED = False
# Nothing is fetched from the internet: no avatars from Gravatar, no update check.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAILADMIN_COMMENTS_ENABLED = True
# Four eyes: the editorial workflow's approval task refuses approval by the
# person who submitted the page or snippet (cms.models.FourEyesApprovalTask).
GOFUN_FOUR_EYES = True

# The admin's searches: Wagtail's database index with Gofun's Japanese
# analysis, and lessons from Gofun's own engine (GOFUN_SEARCH below).
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "search.backends.wagtail_admin"},
}

WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "pdf", "pptx", "txt", "xlsx"]
# Documents are served by Wagtail's view (/documents/<id>/<name>), which
# applies collection privacy; nothing links to /media/documents/, and the
# fronting proxy must not serve that folder (see README, Deploying).
WAGTAILDOCS_SERVE_METHOD = "serve_view"

# Background work (search index updates, the push to HR's LRS) waits in the
# database until a worker runs it: `manage.py db_worker` (README: Deploying).
TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}
# A worker writes a heartbeat every GOFUN_TASK_WORKER_HEARTBEAT seconds; a
# task still marked running under a worker unseen for
# GOFUN_TASK_WORKER_LOST_AFTER seconds (killed, out of memory, its machine
# gone) is queued again, up to GOFUN_TASK_MAX_RUNS runs (task_worker/).
GOFUN_TASK_WORKER_HEARTBEAT = float(os.environ.get("GOFUN_TASK_WORKER_HEARTBEAT", "10"))
GOFUN_TASK_WORKER_LOST_AFTER = float(
    os.environ.get("GOFUN_TASK_WORKER_LOST_AFTER", "60")
)
GOFUN_TASK_WORKER_SWEEP_EVERY = 3
GOFUN_TASK_MAX_RUNS = 3

# Cache and sessions. With GOFUN_REDIS_URL (redis://host:6379/0 or
# unix:///run/redis/redis.sock?db=0) the cache is Redis, shared by every
# gunicorn process and node, and sessions are read from it and written
# through to the database (cached_db), so a Redis restart signs nobody out.
# A Redis that does not answer is logged and treated as a miss (sessions then
# come from the database), never a 500. Unset: each process's local memory
# and sessions in the database.
GOFUN_REDIS_URL = os.environ.get("GOFUN_REDIS_URL", "").strip()
if GOFUN_REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": GOFUN_REDIS_URL,
            "KEY_PREFIX": "gofun",
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": 2,
                "SOCKET_TIMEOUT": 2,
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    DJANGO_REDIS_LOGGER = "gofun.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Pages built for one person (cms.page_caching.PersonalPageCacheMixin) are
# kept only in a cache that every process shares: a change made by another
# process (the worker's requirement sync, another gunicorn worker's quiz
# submission) must reach them. Local memory is each process's own, so
# without Redis those pages are built on every request.
# GOFUN_PERSONAL_PAGE_CACHE=1 or 0 decides otherwise (one process alone).
GOFUN_PERSONAL_PAGE_CACHE = (
    os.environ.get("GOFUN_PERSONAL_PAGE_CACHE", "1" if GOFUN_REDIS_URL else "0").strip()
    == "1"
)

# Training (training/): days to take a lesson again after a material
# revision; the least notice for an item owed after its fixed date; and k,
# the smallest group any breakdown of people shows (see README, Training).
GOFUN_TRAINING_RETRAINING_DAYS = 30
GOFUN_TRAINING_MINIMUM_NOTICE_DAYS = 30
GOFUN_PRIVACY_MIN_GROUP_SIZE = 5

# Lesson search (search/): the embedded engine in the project's database, or
# Elasticsearch when GOFUN_ELASTICSEARCH_URL is set.
GOFUN_SEARCH = {"BACKEND": "search.backends.embedded.EmbeddedSearchEngine"}
if os.environ.get("GOFUN_ELASTICSEARCH_URL", "").strip():
    GOFUN_SEARCH = {
        "BACKEND": "search.backends.elasticsearch.ElasticsearchSearchEngine",
        "URL": os.environ["GOFUN_ELASTICSEARCH_URL"].strip(),
        "INDEX": os.environ.get("GOFUN_ELASTICSEARCH_INDEX", "gofun-lessons"),
        "ANALYZER": os.environ.get("GOFUN_ELASTICSEARCH_ANALYZER", "cjk"),
        # Copies of the index on other nodes of the cluster (0 on one node);
        # read when an index is made, so set it before rebuild_search_index.
        "REPLICAS": int(os.environ.get("GOFUN_ELASTICSEARCH_REPLICAS", "0")),
    }

# View logging and needs analysis (analytics/). GOFUN_VIEW_LOGGING switches
# recording views off (the lesson page is then served without a view event,
# and reading to the end cannot be confirmed); raw view events are kept for
# GOFUN_VIEW_RETENTION_MONTHS (a fiscal year compares with the last), daily
# roll-ups for good; breakdowns follow GOFUN_PRIVACY_MIN_GROUP_SIZE (above).
GOFUN_VIEW_LOGGING = os.environ.get("GOFUN_VIEW_LOGGING", "1").strip() != "0"
GOFUN_VIEW_RECORDER = {"BACKEND": "analytics.recorders.DatabaseViewRecorder"}
GOFUN_VIEW_RETENTION_MONTHS = 13
# HR's Learning Record Store (hr_export/): with a URL, new completion records
# are sent there as xAPI statements by a background task. The URL is the xAPI
# endpoint (statements are posted to URL + "statements").
GOFUN_LRS_URL = os.environ.get("GOFUN_LRS_URL", "").strip()
GOFUN_LRS_USERNAME = os.environ.get("GOFUN_LRS_USERNAME", "")
GOFUN_LRS_PASSWORD = os.environ.get("GOFUN_LRS_PASSWORD", "")
GOFUN_LRS_BATCH_SIZE = int(os.environ.get("GOFUN_LRS_BATCH_SIZE", "100"))
GOFUN_LRS_TIMEOUT = float(os.environ.get("GOFUN_LRS_TIMEOUT", "30"))
# An LRS that is down is tried again after this many seconds, then twice as
# long each time, up to the maximum.
GOFUN_LRS_RETRY_DELAY = float(os.environ.get("GOFUN_LRS_RETRY_DELAY", "30"))
GOFUN_LRS_RETRY_MAX_DELAY = float(os.environ.get("GOFUN_LRS_RETRY_MAX_DELAY", "3600"))

DEFAULT_FROM_EMAIL = os.environ.get("GOFUN_FROM_EMAIL", "gofun@localhost")
# A mail server that does not answer fails the send (retried on the next run)
# instead of holding a reminder run for ever.
EMAIL_TIMEOUT = int(os.environ.get("GOFUN_EMAIL_TIMEOUT", "30"))

# Training reminders (reminders/): each item not yet met is reminded this many
# days before it is due, on the day, then weekly while overdue; an item this
# many days overdue is reported to the division's manager (see README).
GOFUN_REMINDER_DAYS_BEFORE = int(os.environ.get("GOFUN_REMINDER_DAYS_BEFORE", "7"))
GOFUN_ESCALATION_DAYS_OVERDUE = int(
    os.environ.get("GOFUN_ESCALATION_DAYS_OVERDUE", "14")
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "gofun": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
