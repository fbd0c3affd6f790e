"""Sign-in is throttled per account and per address on every login URL."""

import pytest
from django.core.management import call_command
from django.test import RequestFactory

from cms.auth import client_ip_address
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, username, password, url="/accounts/login/", address="10.0.0.1"):
    return client.post(
        url, {"username": username, "password": password}, REMOTE_ADDR=address
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_right_password_is_refused_after_five_wrong_ones(client, learner):
    for _ in range(5):
        sign_in(client, "learner", "wrong-password")

    response = sign_in(client, "learner", PASSWORD)

    assert response.status_code == 429
    assert "ロック" in response.text
    assert not signed_in(client)


def test_four_wrong_passwords_do_not_lock(client, learner):
    for _ in range(4):
        sign_in(client, "learner", "wrong-password")

    sign_in(client, "learner", PASSWORD)

    assert signed_in(client)


def test_the_account_is_locked_from_another_address_too(client, learner):
    for number in range(5):
        sign_in(client, "learner", "wrong", address=f"10.0.1.{number}")

    response = sign_in(client, "learner", PASSWORD, address="10.0.2.1")

    assert response.status_code == 429
    assert not signed_in(client)


def test_an_address_trying_many_accounts_is_locked(client, learner):
    for number in range(5):
        sign_in(client, f"someone{number}", "wrong", address="10.0.3.3")

    response = sign_in(client, "learner", PASSWORD, address="10.0.3.3")

    assert response.status_code == 429
    assert not signed_in(client)


def test_wagtail_admin_login_url_is_throttled_as_well(client, editor):
    for _ in range(5):
        sign_in(client, "editor", "wrong", url="/admin/login/")

    response = sign_in(client, "editor", PASSWORD, url="/admin/login/")

    assert response.status_code == 429
    assert not signed_in(client)


def test_an_administrator_unlocks_the_account(client, learner):
    for _ in range(5):
        sign_in(client, "learner", "wrong", address="10.0.4.4")

    call_command("axes_reset_username", "learner")
    call_command("axes_reset_ip", "10.0.4.4")
    sign_in(client, "learner", PASSWORD, address="10.0.4.4")

    assert signed_in(client)


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "1.2.3.4", "192.0.2.9"),
        (1, "6.6.6.6, 10.1.2.3", "10.1.2.3"),
        (2, "6.6.6.6, 10.1.2.3, 10.9.9.9", "10.1.2.3"),
        (1, "", "192.0.2.9"),
    ],
)
def test_client_address_trusts_only_the_proxies_said(
    settings, proxies, forwarded, expected
):
    settings.GOFUN_PROXY_COUNT = proxies
    request = RequestFactory().get(
        "/", REMOTE_ADDR="192.0.2.9", HTTP_X_FORWARDED_FOR=forwarded
    )

    assert client_ip_address(request) == expected
