"""404, 403, CSRF-failure and 500 pages in the site's own look, in the person's
language; the 500 page renders with the database down."""

import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import get_resolver, reverse
from django.utils import translation

from tests.processes import child_environment

pytestmark = pytest.mark.django_db


def test_missing_page_is_a_404_in_the_sites_look(client, learner):
    client.force_login(learner)

    response = client.get("/no-such-lesson/")

    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="ja">' in html
    assert "このページは見つかりませんでした" in html
    assert "cms/gofun.css" in html
    assert 'href="/search/"' in html


def test_missing_page_speaks_english_to_who_chose_it(client, learner):
    client.force_login(learner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get("/no-such-lesson/")

    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "We could not find this page" in html


def test_forbidden_page_is_a_403_in_the_sites_look(rf, learner):
    # Site pages answer 403 through Django's handler; the admin turns its
    # refusals into a redirect with a message instead.
    request = rf.get("/somewhere/")
    request.user = learner
    handler = get_resolver().resolve_error_handler(403)

    with translation.override("ja"):
        response = handler(request, exception=PermissionDenied())

    assert response.status_code == 403
    html = response.content.decode()
    assert "このページは開けません" in html
    assert "cms/gofun.css" in html


def test_a_form_without_its_csrf_token_gets_a_plain_explanation(learner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)

    response = client.post(reverse("set_language"), {"language": "en"})

    assert response.status_code == 403
    html = response.content.decode()
    assert "フォームを送信できませんでした" in html
    assert "CSRF" not in html
    assert "cms/gofun.css" in html


def test_favicon_is_a_local_file(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"].endswith("cms/favicon.svg")
    assert client.get(response["Location"]).status_code == 200


def test_pages_name_the_favicon(client, learner):
    client.force_login(learner)

    html = client.get(reverse("training:transcript")).content.decode()

    assert '<link rel="icon" href="/static/cms/favicon.svg"' in html


SERVER_ERROR_WITHOUT_DATABASE = """
import django
django.setup()
from django.test import Client
client = Client(raise_request_exception=False)
client.cookies["django_language"] = "{language}"
response = client.get("/healthz")
print(response.status_code)
print(response.content.decode())
"""


@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("ja", "サーバー側で問題が起きました"),
        ("en", "Something went wrong on our side"),
    ],
)
def test_server_error_page_renders_with_the_database_down(language, heading):
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", SERVER_ERROR_WITHOUT_DATABASE.format(language=language)],
        cwd=settings.BASE_DIR,
        env=child_environment(
            DJANGO_SETTINGS_MODULE="cms.settings.test",
            DATABASE_URL="sqlite:////nonexistent-gofun-directory/db.sqlite3",
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )

    status, _, html = result.stdout.partition("\n")
    assert status == "500", result.stderr[-2000:]
    assert f'<html lang="{language}">' in html
    assert heading in html
    assert "cms/gofun.css" in html
