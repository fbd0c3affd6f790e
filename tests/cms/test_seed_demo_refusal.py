"""seed_demo never runs under production settings."""

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import override_settings
from wagtail.models import Page

pytestmark = pytest.mark.django_db


def test_seed_demo_refuses_under_production_settings_and_creates_nothing():
    before = (Page.objects.count(), get_user_model().objects.count())

    with override_settings(GOFUN_ENVIRONMENT="production"):
        with pytest.raises(CommandError, match="本番設定では実行できません"):
            call_command("seed_demo", stdout=StringIO())

    assert (Page.objects.count(), get_user_model().objects.count()) == before


def test_seed_demo_command_exits_with_an_error_under_production_settings():
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("GOFUN_", "DATABASE_URL", "DJANGO_"))
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        GOFUN_SECRET_KEY="k" * 20 + "-production-secret-for-the-refusal-test",
        GOFUN_ALLOWED_HOSTS="gofun.example.go.jp",
        GOFUN_BASE_URL="https://gofun.example.go.jp",
        DATABASE_URL="postgres://nobody@127.0.0.1:1/none",
    )

    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "seed_demo"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 1
    assert "本番設定では実行できません" in result.stderr
    assert "Traceback" not in result.stderr
