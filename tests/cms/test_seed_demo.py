"""The demo site: twelve series, demo accounts, idempotent, never in production."""

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import override_settings
from wagtail.models import Page, PageLogEntry

from cms.demo import ACCOUNTS
from cms.models import StaffProfile
from learning_series.models import LessonPage, SeriesPage

pytestmark = pytest.mark.django_db

SEED_SERIES = [
    "ITシステム調達のポイント",
    "テレワークにおける脅威への理解",
    "外部サービスを業務利用するためのルール",
    "AIまずはこれだけ理解しよう",
    "サイバーセキュリティ：あなたの無知が脅威です",
    "標的型メール攻撃の脅威",
    "パスワードの適切な使い方",
]


def seed() -> str:
    output = StringIO()
    call_command("seed_demo", stdout=output)
    return output.getvalue()


def site_counts() -> dict[str, int]:
    return {
        "pages": Page.objects.count(),
        "users": get_user_model().objects.count(),
        "profiles": StaffProfile.objects.count(),
        "log entries": PageLogEntry.objects.count(),
    }


def test_demo_has_the_twelve_series_each_with_a_published_lesson():
    seed()

    series = SeriesPage.objects.live()
    assert series.count() == 12
    assert set(SEED_SERIES) <= set(series.values_list("title", flat=True))
    assert series.filter(mandatory=True).count() >= 3
    for one in series:
        lessons = LessonPage.objects.child_of(one).live()
        assert lessons.exists(), one.title
        for lesson in lessons:
            assert 6 <= len(lesson.slides) <= 12, lesson.title


def test_demo_learner_sees_the_twelve_series_on_the_home_page(client):
    seed()
    client.login(username="learner", password="gofun-demo")

    response = client.get("/")

    assert response.status_code == 200
    assert response.text.count('class="card"') == 12
    for title in SEED_SERIES:
        assert title in response.text


def test_demo_accounts_cover_every_role_division_and_post():
    seed()

    profiles = StaffProfile.objects.all()
    roles = set(profiles.values_list("roles__code", flat=True))
    assert {"general", "lan_it", "pjmo", "regional"} <= roles
    assert profiles.values("division").distinct().count() >= 3
    assert set(profiles.values_list("post__kind", flat=True)) == {
        "headquarters",
        "mission",
    }
    User = get_user_model()
    assert User.objects.get(username="author").groups.filter(name="執筆者").exists()
    assert User.objects.get(username="editor").groups.filter(name="編集者").exists()
    assert User.objects.get(username="trainer").groups.filter(name="研修担当").exists()


def test_demo_lessons_were_written_by_the_author_and_published_by_the_editor():
    seed()
    lesson = LessonPage.objects.live().first()

    assert lesson.owner.username == "author"
    publish = PageLogEntry.objects.filter(page=lesson, action="wagtail.publish").get()
    assert publish.user.username == "editor"


def test_seed_demo_twice_creates_nothing_twice():
    seed()
    after_first = site_counts()

    output = seed()

    assert site_counts() == after_first
    assert "新たに作成したものはありません" in output


def test_seed_demo_lists_the_demo_accounts():
    output = seed()

    for account in ACCOUNTS:
        assert account.username in output
    assert "gofun-demo" in output


def test_seed_demo_refuses_under_production_settings_and_creates_nothing():
    before = site_counts()

    with override_settings(GOFUN_ENVIRONMENT="production"):
        with pytest.raises(CommandError, match="本番設定では実行できません"):
            seed()

    assert site_counts() == before


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
