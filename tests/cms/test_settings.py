"""Production settings, deployment checks and migrations."""

from io import StringIO

import pytest
from django.core.management import call_command

from tests.processes import manage

PRODUCTION_ENVIRONMENT = {
    "DJANGO_SETTINGS_MODULE": "cms.settings.production",
    "GOFUN_SECRET_KEY": "x7!qa0-Lr2vNf9#kP4wz$Tb8mYc1@hJd6^uE3sGo5&iXnV0_pKlR",
    "GOFUN_ALLOWED_HOSTS": "gofun.intra.example.go.jp",
    "GOFUN_BASE_URL": "https://gofun.intra.example.go.jp",
    "DATABASE_URL": "postgres://gofun:secret@db.intra.example.go.jp:5432/gofun",
}


def test_production_check_deploy_prints_no_warnings():
    result = manage("check", "--deploy", environment=PRODUCTION_ENVIRONMENT)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stderr + result.stdout


@pytest.mark.parametrize("missing", ["GOFUN_SECRET_KEY", "DATABASE_URL"])
def test_production_refuses_to_start_without_its_environment(missing):
    environment = {
        key: value for key, value in PRODUCTION_ENVIRONMENT.items() if key != missing
    }

    result = manage("check", environment=environment)

    assert result.returncode != 0
    assert "Production settings need these environment variables" in result.stderr
    assert missing in result.stderr


@pytest.mark.django_db
def test_models_and_migrations_agree():
    output = StringIO()

    call_command("makemigrations", "--check", "--dry-run", stdout=output)

    assert "No changes detected" in output.getvalue()


def test_sqlite_default_is_configured_for_concurrent_writers():
    from cms.settings.base import sqlite_database

    options = sqlite_database("gofun.sqlite3")["OPTIONS"]

    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]
    assert options["timeout"] >= 5


def test_database_url_selects_postgresql(monkeypatch):
    from cms.settings.base import database_from_environment

    monkeypatch.setenv("DATABASE_URL", "postgres://gofun@db.example/gofun")

    config = database_from_environment("unused.sqlite3")

    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "gofun"


def settings_seen(environment: dict[str, str], *names: str) -> list[str]:
    """The values of `names` as a process with `environment` sees them."""
    code = "from django.conf import settings; " + "; ".join(
        f"print(repr(settings.{name}))" for name in names
    )
    result = manage("shell", "--no-imports", "-c", code, environment=environment)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()


def test_production_cookies_are_secure_unless_the_loopback_stack_says_not():
    secure = settings_seen(
        PRODUCTION_ENVIRONMENT, "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"
    )
    plain = settings_seen(
        {**PRODUCTION_ENVIRONMENT, "GOFUN_SECURE_COOKIES": "0"},
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
    )

    assert secure == ["True", "True"]
    assert plain == ["False", "False"]


def test_redis_url_puts_the_cache_and_sessions_in_redis():
    with_redis = settings_seen(
        {**PRODUCTION_ENVIRONMENT, "GOFUN_REDIS_URL": "redis://127.0.0.1:6379/0"},
        "CACHES['default']['BACKEND']",
        "CACHES['default']['LOCATION']",
        "SESSION_ENGINE",
    )
    without = settings_seen(
        PRODUCTION_ENVIRONMENT, "CACHES['default']['BACKEND']", "SESSION_ENGINE"
    )

    assert with_redis == [
        "'django_redis.cache.RedisCache'",
        "'redis://127.0.0.1:6379/0'",
        "'django.contrib.sessions.backends.cached_db'",
    ]
    assert without == [
        "'django.core.cache.backends.locmem.LocMemCache'",
        "'django.contrib.sessions.backends.db'",
    ]


def test_media_root_follows_the_environment(tmp_path):
    seen = settings_seen(
        {**PRODUCTION_ENVIRONMENT, "GOFUN_MEDIA_ROOT": str(tmp_path)}, "MEDIA_ROOT"
    )

    assert seen == [repr(tmp_path)]


def test_the_stack_settings_are_productions_marked_as_the_stack():
    stack = settings_seen(
        {**PRODUCTION_ENVIRONMENT, "DJANGO_SETTINGS_MODULE": "cms.settings.stack"},
        "GOFUN_ENVIRONMENT",
        "DEBUG",
        "SECURE_PROXY_SSL_HEADER",
    )
    production = settings_seen(PRODUCTION_ENVIRONMENT, "GOFUN_ENVIRONMENT")

    assert stack == ["'stack'", "False", "('HTTP_X_FORWARDED_PROTO', 'https')"]
    assert production == ["'production'"]


def test_a_sqlite_database_url_keeps_connections_open_across_requests(monkeypatch):
    from cms.settings.base import database_from_environment

    monkeypatch.setenv("DATABASE_URL", "sqlite:////srv/gofun/gofun.sqlite3")

    config = database_from_environment("unused.sqlite3")

    assert config["NAME"] == "/srv/gofun/gofun.sqlite3"
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert config["CONN_MAX_AGE"] > 0
    assert config["CONN_HEALTH_CHECKS"] is True
