"""A signed-in person is served the lesson, series and home pages from their
stored copy (cms.page_caching.PersonalPageCacheMixin) until something the
page shows changes. What differs per request is still per request: every
view is recorded and handed its own beacon token, the CSRF token in the
page's forms is the person's own and accepted, a waiting message shows, and
the language chosen is the page's. Runs on local memory and on Redis."""

import datetime
import re
import time

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, Site

from analytics.models import LessonView
from cms.page_caching import PERSONAL_PAGE_SECONDS
from learning_series.models import SeriesIndexPage
from quizzes.models import Attempt
from quizzes.services import attempt_start
from tests.factories import UserFactory, make_lesson, make_series
from tests.quizzes.conftest import make_checkpoint, seeded

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
BEACON = re.compile(r'data-view="([^"]+)"')


@pytest.fixture
def lesson():
    series = make_series(title="標的型メール攻撃の脅威", slug="mail")
    return make_lesson(series=series, title="差出人を確かめる")


def signed_in(user, **options) -> Client:
    client = Client(**options)
    client.force_login(user)
    return client


def without_per_request_parts(html: str) -> str:
    return BEACON.sub("", TOKEN.sub("", html))


def test_a_stored_lesson_page_is_the_page_built_afresh(lesson, learner, shared_cache):
    client = signed_in(learner)
    built = client.get(lesson.url)
    with CaptureQueriesContext(connection) as queries:
        stored = client.get(lesson.url)

    assert built.context is not None  # built from its template
    assert stored.context is None  # served from the stored copy
    assert stored.status_code == 200
    assert stored["Content-Type"] == built["Content-Type"]
    assert without_per_request_parts(
        stored.content.decode()
    ) == without_per_request_parts(built.content.decode())
    # The session, the person and the view event: nothing else is read (the
    # savepoint around the event is the test's transaction's).
    statements = [
        query["sql"]
        for query in queries.captured_queries
        if "SAVEPOINT" not in query["sql"]
    ]
    assert len(statements) == 3, statements


def test_every_serving_records_its_own_view_and_beacon(lesson, learner, shared_cache):
    client = signed_in(learner)
    pages = [client.get(lesson.url).content.decode() for _ in range(3)]

    tokens = [BEACON.search(page).group(1) for page in pages]
    assert len(set(tokens)) == 3
    assert LessonView.objects.filter(user=learner, lesson=lesson).count() == 3
    # Each token reports progress on its own view.
    for token in tokens:
        response = client.post(
            reverse("analytics:beacon"),
            {
                "view": token,
                "lesson": lesson.pk,
                "furthest": 1,
                "through": 1,
                "seconds": 5,
            },
        )
        assert response.status_code == 204, response.content
    assert set(
        LessonView.objects.filter(user=learner).values_list("furthest_slide", flat=True)
    ) == {1}


def test_the_csrf_token_of_a_stored_page_is_the_persons_own(
    lesson, learner, shared_cache
):
    client = signed_in(learner, enforce_csrf_checks=True)
    client.get(lesson.url)
    stored = client.get(lesson.url)
    assert stored.context is None
    token = TOKEN.search(stored.content.decode()).group(1)

    response = client.post(
        reverse("training:lesson_read", args=[lesson.pk]),
        {"csrfmiddlewaretoken": token},
    )

    assert response.status_code == 302  # not 403: the token is accepted
    # Another person's stored page never hands over this person's token.
    other = signed_in(UserFactory(username="other"), enforce_csrf_checks=True)
    other.get(lesson.url)
    other_token = TOKEN.search(other.get(lesson.url).content.decode()).group(1)
    assert (
        other.post(
            reverse("training:lesson_read", args=[lesson.pk]),
            {"csrfmiddlewaretoken": other_token},
        ).status_code
        == 302
    )
    assert client.cookies[settings.CSRF_COOKIE_NAME].value != (
        other.cookies[settings.CSRF_COOKIE_NAME].value
    )


def test_a_waiting_message_shows_on_a_stored_page(lesson, learner, shared_cache):
    client = signed_in(learner)
    client.get(lesson.url)
    assert client.get(lesson.url).context is None  # stored

    # Refused (not read through yet): nothing changes but the message.
    response = client.post(
        reverse("training:lesson_read", args=[lesson.pk]), follow=True
    )

    assert 'class="message message--error"' in response.content.decode()
    # Shown once, the message is gone from the next serving.
    assert "message--error" not in client.get(lesson.url).content.decode()


def test_the_language_chosen_is_never_served_from_the_others_copy(
    lesson, learner, shared_cache
):
    client = signed_in(learner)
    assert 'lang="ja"' in client.get(lesson.url).content.decode()

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(lesson.url).content.decode()

    assert '<html lang="en">' in html
    assert "Next slide" in html


def test_a_renamed_person_sees_their_new_name_at_once(learner, shared_cache):
    client = signed_in(learner)
    client.get("/")
    learner.first_name = "改名後"
    learner.save()

    assert "改名後" in client.get("/").content.decode()


def test_an_open_attempt_keeps_a_page_no_longer_than_its_time_limit(
    lesson, learner, shared_cache
):
    checkpoint = make_checkpoint(lesson=lesson, time_limit_minutes=1)
    attempt = attempt_start(checkpoint=checkpoint, user=learner, rng=seeded(1))
    # Two seconds left (set quietly, as the clock would).
    Attempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() + datetime.timedelta(seconds=2)
    )
    client = signed_in(learner)
    client.get(lesson.url)
    assert client.get(lesson.url).context is None  # stored

    time.sleep(2.5)

    assert client.get(lesson.url).context is not None  # built again
    assert PERSONAL_PAGE_SECONDS > 60


def test_a_new_site_for_a_host_is_used_at_once(lesson, learner, shared_cache):
    client = signed_in(learner)
    assert "マイ研修" in client.get("/", HTTP_HOST="127.0.0.1").content.decode()
    index = SeriesIndexPage.objects.get()

    Site.objects.create(
        hostname="127.0.0.1", port=80, root_page=Page.objects.get(pk=index.pk)
    )

    response = client.get("/", HTTP_HOST="127.0.0.1")
    assert response.status_code == 200
    assert response.context["page"].pk == index.pk
    assert "マイ研修" not in response.content.decode()


def test_without_a_shared_cache_pages_are_built_for_every_request(
    lesson, learner, settings
):
    settings.GOFUN_PERSONAL_PAGE_CACHE = False
    client = signed_in(learner)

    responses = [client.get(lesson.url) for _ in range(2)]

    assert all(response.context is not None for response in responses)
