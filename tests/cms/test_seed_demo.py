"""The demo site: twelve series, demo accounts, idempotent, never in production."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, PageLogEntry

from learning_series.models import LessonPage, SeriesPage
from organisation.demo import ACCOUNTS, MANAGERS
from organisation.models import Division, StaffProfile

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


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    """Seed the demo once for this module, in a transaction undone at its end.

    Loading the demo simulates a thousand quiz attempts; each test still runs
    in its own savepoint inside this transaction, so none sees another's writes.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield seed()
        transaction.set_rollback(True)


def site_counts() -> dict[str, int]:
    return {
        "pages": Page.objects.count(),
        "users": get_user_model().objects.count(),
        "profiles": StaffProfile.objects.count(),
        "log entries": PageLogEntry.objects.count(),
    }


def test_demo_has_the_twelve_series_each_with_a_published_lesson(demo_output):

    series = SeriesPage.objects.live()
    assert series.count() == 12
    assert set(SEED_SERIES) <= set(series.values_list("title", flat=True))
    assert series.filter(mandatory=True).count() >= 3
    for one in series:
        lessons = LessonPage.objects.child_of(one).live()
        assert lessons.exists(), one.title
        for lesson in lessons:
            assert 6 <= len(lesson.slides) <= 12, lesson.title


def test_demo_learner_sees_the_twelve_series_on_the_home_page(client, demo_output):
    client.post("/accounts/login/", {"username": "learner", "password": "gofun-demo"})

    response = client.get("/")

    assert response.status_code == 200
    assert response.text.count('class="card"') == 12
    text = response.text.replace("<wbr>", "")  # hints between Japanese phrases
    for title in SEED_SERIES:
        assert title in text


def test_demo_accounts_cover_every_role_division_and_post(demo_output):

    profiles = StaffProfile.objects.all()
    roles = set(profiles.values_list("role_assignments__role__code", flat=True))
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


def test_demo_lessons_were_written_by_the_author_and_published_by_the_editor(
    demo_output,
):
    lesson = LessonPage.objects.live().first()

    assert lesson.owner.username == "author"
    publish = PageLogEntry.objects.filter(page=lesson, action="wagtail.publish").get()
    assert publish.user.username == "editor"


def test_seed_demo_twice_creates_nothing_twice(demo_output):
    after_first = site_counts()

    output = seed()

    assert site_counts() == after_first
    assert "新たに作成したものはありません" in output


def test_seed_demo_lists_the_demo_accounts(demo_output):
    for account in ACCOUNTS:
        assert account.username in demo_output
    for username, _name, _number in MANAGERS.values():
        assert username in demo_output
    assert "gofun-demo" in demo_output


def test_demo_staff_have_numbers_joining_dates_and_dated_roles(demo_output):
    profiles = StaffProfile.objects.all()

    assert not profiles.filter(staff_number__isnull=True).exists()
    assert not profiles.filter(joined_on__isnull=True).exists()
    pjmo = StaffProfile.objects.get(user__username="pjmo")
    gained = pjmo.role_assignments.get(role__code="pjmo").started_on
    assert 0 < (timezone.localdate() - gained).days <= 7


def test_every_demo_division_has_a_manager(demo_output):
    assert not Division.objects.filter(manager__isnull=True).exists()
