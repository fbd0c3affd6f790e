"""Request bodies are refused on Content-Length before anything reads them."""

import pytest
from django.test import RequestFactory

from cms.middleware import RequestBodyLimitMiddleware

pytestmark = pytest.mark.django_db

PPTX_URL = "/admin/lessons/import-pptx/"
EIGHTY_MB = str(80 * 1024 * 1024)


class Unreadable:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def post_claiming(client, url, length, content_type="multipart/form-data; boundary=x"):
    # The test client's payload refuses to be read past what it holds, so a
    # view or middleware that read this body would fail loudly.
    return client.generic(
        "POST", url, b"--x--", content_type=content_type, CONTENT_LENGTH=length
    )


def test_anonymous_upload_is_refused_before_the_body_is_read(client):
    response = post_claiming(client, PPTX_URL, EIGHTY_MB)

    assert response.status_code == 403


def test_anonymous_large_body_anywhere_is_refused(client):
    response = post_claiming(
        client,
        "/accounts/login/",
        str(1024 * 1024),
        "application/x-www-form-urlencoded",
    )

    assert response.status_code == 403


def test_signed_in_upload_over_the_limit_is_refused_with_413(client, author):
    client.force_login(author)

    response = post_claiming(client, PPTX_URL, EIGHTY_MB)

    assert response.status_code == 413
    assert "MB" in response.text


def test_image_upload_over_its_limit_is_refused(client, editor):
    client.force_login(editor)

    response = post_claiming(
        client, "/admin/images/multiple/add/", str(11 * 1024 * 1024)
    )

    assert response.status_code == 413


def test_other_requests_have_a_general_limit(client, learner, settings):
    client.force_login(learner)

    response = post_claiming(
        client,
        "/quizzes/attempts/1/submit/",
        str(settings.GOFUN_MAX_REQUEST_BODY + 1),
    )

    assert response.status_code == 413


def test_middleware_never_touches_the_body(rf=None):
    request = RequestFactory().post(
        PPTX_URL, data=b"", content_type="multipart/form-data"
    )
    request.META["CONTENT_LENGTH"] = EIGHTY_MB
    request.META["wsgi.input"] = Unreadable()
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    middleware = RequestBodyLimitMiddleware(lambda request: None)

    response = middleware(request)

    assert response.status_code == 403


def test_an_upload_within_the_limit_goes_through(client, author):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import make_series

    series = make_series(slug="limits")
    client.force_login(author)

    response = client.post(
        "/admin/lessons/import-markdown/",
        {
            "series": series.pk,
            "file": SimpleUploadedFile(
                "deck.md", "---\ntitle: 小さな教材\n---\n# 一枚目\n本文\n".encode()
            ),
        },
    )

    assert response.status_code == 302
