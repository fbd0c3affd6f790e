"""The site is for signed-in staff only; proxy single sign-on when switched on."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.urls import reverse

from tests.factories import StaffProfileFactory, make_lesson, make_series

pytestmark = pytest.mark.django_db


@pytest.fixture
def lesson(author):
    return make_lesson(series=make_series(slug="mail"), owner=author)


def site_paths(lesson) -> list[str]:
    return [
        "/",
        "/series/",
        lesson.get_parent().url,
        lesson.url,
        "/no-such-page/",
        "/admin/",
        "/admin/pages/",
        "/documents/1/example.pdf",
    ]


def test_anonymous_visitor_is_sent_to_sign_in_for_every_page(client, lesson):
    login_url = reverse("login")
    for path in site_paths(lesson):
        response = client.get(path)

        assert response.status_code == 302, path
        assert response["Location"].startswith(f"{login_url}?next="), path


def test_sign_in_page_is_japanese_by_default(client):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    assert '<html lang="ja">' in response.text
    assert "サインイン" in response.text


def test_browser_language_does_not_switch_the_interface_to_english(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert '<html lang="ja">' in response.text


def test_english_is_available_from_the_language_menu(client):
    response = client.post(
        reverse("set_language"),
        {"language": "en", "next": reverse("login")},
        follow=True,
    )

    assert '<html lang="en">' in response.text
    assert "Sign in" in response.text
    assert response.headers["Content-Language"] == "en"


def test_wrong_password_gives_a_clear_message_and_no_session(client, learner):
    response = client.post(
        reverse("login"), {"username": "learner", "password": "wrong"}
    )

    assert response.status_code == 200
    assert "正しいユーザー名とパスワードを入力してください" in response.text
    assert "_auth_user_id" not in client.session


def test_signed_in_learner_sees_the_lessons(client, learner, lesson):
    client.force_login(learner)

    home = client.get("/")
    lesson_page = client.get(lesson.url)

    assert home.status_code == 200
    # Titles carry <wbr> hints between Japanese phrases.
    assert lesson.get_parent().title in home.text.replace("<wbr>", "")
    assert lesson_page.status_code == 200
    assert "スライド3" in lesson_page.text


def test_learner_cannot_enter_the_admin_and_is_told_why(client, learner):
    client.force_login(learner)

    response = client.get("/admin/", follow=True)

    assert response.redirect_chain == [("/accounts/login/?next=/admin/", 302)]
    assert "管理画面にアクセスする権限がありません。" in response.text


def test_health_check_is_open(client):
    assert client.get(reverse("health")).content == b"ok"


@override_settings(GOFUN_REMOTE_USER_SSO=True)
def test_proxy_header_signs_staff_in_when_sso_is_on(lesson):
    StaffProfileFactory(user__username="taro.gaimu")
    client = Client(HTTP_X_REMOTE_USER="taro.gaimu")

    response = client.get(lesson.url)

    assert response.status_code == 200
    assert response.wsgi_request.user.username == "taro.gaimu"


@override_settings(GOFUN_REMOTE_USER_SSO=True)
def test_proxy_header_for_unknown_person_creates_no_account(lesson):
    client = Client(HTTP_X_REMOTE_USER="stranger")

    response = client.get(lesson.url)

    assert response.status_code == 302
    assert not get_user_model().objects.filter(username="stranger").exists()


def test_proxy_header_is_ignored_when_sso_is_off(lesson):
    StaffProfileFactory(user__username="taro.gaimu")
    client = Client(HTTP_X_REMOTE_USER="taro.gaimu")

    response = client.get(lesson.url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not response.wsgi_request.user.is_authenticated
