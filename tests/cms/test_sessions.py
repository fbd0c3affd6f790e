"""A session unused for GOFUN_SESSION_IDLE_TIMEOUT ends."""

import time

import pytest

from cms.middleware import IdleSessionTimeoutMiddleware

pytestmark = pytest.mark.django_db
KEY = IdleSessionTimeoutMiddleware.KEY


def last_seen(client, seconds_ago: int) -> None:
    session = client.session
    session[KEY] = int(time.time()) - seconds_ago
    session.save()


def test_an_idle_session_is_signed_out(client, learner, settings):
    client.force_login(learner)
    client.get("/")
    idle = int(settings.GOFUN_SESSION_IDLE_TIMEOUT.total_seconds())
    last_seen(client, idle + 5)

    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


def test_an_active_session_stays_signed_in(client, learner, settings):
    client.force_login(learner)
    client.get("/")
    idle = int(settings.GOFUN_SESSION_IDLE_TIMEOUT.total_seconds())
    last_seen(client, idle - 60)

    response = client.get("/")

    assert response.status_code == 200
    assert client.session[KEY] >= int(time.time()) - 5


def test_the_timeout_is_a_setting(client, learner, settings):
    from datetime import timedelta

    settings.GOFUN_SESSION_IDLE_TIMEOUT = timedelta(minutes=2)
    client.force_login(learner)
    client.get("/")
    last_seen(client, 3 * 60)

    assert client.get("/").status_code == 302
