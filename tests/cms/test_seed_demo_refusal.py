"""seed_demo never runs under production settings."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import override_settings
from wagtail.models import Page

from tests.cms.test_settings import PRODUCTION_ENVIRONMENT
from tests.processes import manage

pytestmark = pytest.mark.django_db


def test_seed_demo_refuses_under_production_settings_and_creates_nothing():
    before = (Page.objects.count(), get_user_model().objects.count())

    with override_settings(GOFUN_ENVIRONMENT="production"):
        with pytest.raises(CommandError, match="本番設定では実行できません"):
            call_command("seed_demo", stdout=StringIO())

    assert (Page.objects.count(), get_user_model().objects.count()) == before


def test_seed_demo_command_exits_with_an_error_under_production_settings():
    result = manage(
        "seed_demo",
        environment={
            **PRODUCTION_ENVIRONMENT,
            # Refused before any connection: an address where nothing listens.
            "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
        },
    )

    assert result.returncode == 1
    assert "本番設定では実行できません" in result.stderr
    assert "Traceback" not in result.stderr
