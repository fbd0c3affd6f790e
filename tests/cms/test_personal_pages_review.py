"""What a stored personal page (cms.page_caching.PersonalPageCacheMixin) must
never do, found by driving the site as a learner would: serve a page built
for another of the person's sessions, or one from before a change the person
made themselves."""

import contextlib

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import PageViewRestriction

from quizzes.services import attempt_start
from tests.factories import make_lesson, make_series
from tests.quizzes.conftest import make_checkpoint, seeded

from .test_personal_pages import signed_in

pytestmark = pytest.mark.django_db

# The first lesson's link on to the second (behind the password).
NEXT = 'rel="next"'


@pytest.fixture
def password_lesson():
    """A series whose second lesson is behind a shared password."""
    series = make_series(title="標的型メール攻撃の脅威", slug="mail")
    first = make_lesson(series=series, title="差出人を確かめる")
    second = make_lesson(series=series, title="開いてしまったら")
    restriction = PageViewRestriction.objects.create(
        page=second,
        restriction_type=PageViewRestriction.PASSWORD,
        password="合言葉",
    )
    return first, second, restriction


def enter_password(client, *, lesson, restriction) -> None:
    response = client.post(
        reverse(
            "wagtailcore_authenticate_with_password", args=[restriction.pk, lesson.pk]
        ),
        {"password": "合言葉", "return_url": lesson.url},
    )
    assert response.status_code == 302


def test_entering_a_password_shows_at_once_on_a_stored_page(
    password_lesson, learner, shared_cache
):
    first, second, restriction = password_lesson
    client = signed_in(learner)
    client.get(first.url)
    stored = client.get(first.url)
    assert stored.context is None  # stored
    assert NEXT not in stored.content.decode()  # not passed yet

    enter_password(client, lesson=second, restriction=restriction)

    assert NEXT in client.get(first.url).content.decode()


def test_a_page_built_after_a_password_is_never_served_to_another_session(
    password_lesson, learner, shared_cache
):
    first, second, restriction = password_lesson
    passed = signed_in(learner)
    enter_password(passed, lesson=second, restriction=restriction)
    assert NEXT in passed.get(first.url).content.decode()
    # The same person in another browser, which has not entered the password.
    other_browser = signed_in(learner)

    for _ in range(2):
        assert NEXT in passed.get(first.url).content.decode()
        assert NEXT not in other_browser.get(first.url).content.decode()


def test_a_host_not_allowed_is_refused_before_its_site_is_looked_up_or_kept(
    lesson_for_hosts, learner, shared_cache
):
    client = signed_in(learner)
    before = cache_entries()

    with CaptureQueriesContext(connection) as queries:
        for number in range(5):
            response = client.get("/", HTTP_HOST=f"evil{number}.example")
            assert response.status_code == 400

    assert not [q for q in queries.captured_queries if "wagtailcore_site" in q["sql"]]
    assert cache_entries() == before
    # An allowed host is still served its site.
    assert client.get("/", HTTP_HOST="localhost").status_code == 200


@pytest.fixture
def lesson_for_hosts():
    return make_lesson(series=make_series(slug="hosts"))


def cache_entries() -> int:
    """How many entries the default cache holds (local memory or Redis)."""
    if hasattr(cache, "_cache"):  # local memory
        return len(cache._cache)
    return cache.client.get_client().dbsize()


@pytest.fixture
def redis_refusing_writes(redis_url, settings):
    """Redis as production configures it (an error is logged and ignored),
    and a way to make it refuse every write for a while, as a full Redis
    with Debian's default `maxmemory-policy noeviction` does; reads and
    deletes still work then."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": redis_url,
            "OPTIONS": {"IGNORE_EXCEPTIONS": True},
        }
    }
    cache.clear()
    client = cache.client.get_client()

    @contextlib.contextmanager
    def refusing():
        client.config_set("maxmemory", 1)
        try:
            yield
        finally:
            client.config_set("maxmemory", 0)

    yield refusing
    client.config_set("maxmemory", 0)
    cache.clear()


def test_a_change_made_while_redis_refuses_writes_is_not_hidden_afterwards(
    lesson_with_checkpoint, learner, redis_refusing_writes
):
    lesson, checkpoint = lesson_with_checkpoint
    client = signed_in(learner)
    client.get(lesson.url)
    assert client.get(lesson.url).context is None  # stored

    with redis_refusing_writes():
        attempt = attempt_start(checkpoint=checkpoint, user=learner, rng=seeded(1))

    assert f"/quizzes/attempts/{attempt.pk}/" in client.get(lesson.url).content.decode()


def test_a_lesson_unpublished_while_redis_refuses_writes_is_gone_afterwards(
    lesson_with_checkpoint, learner, redis_refusing_writes
):
    lesson, _checkpoint = lesson_with_checkpoint
    client = signed_in(learner)
    assert client.get(lesson.url).status_code == 200

    with redis_refusing_writes():
        lesson.unpublish()

    assert client.get(lesson.url).status_code == 404


@pytest.fixture
def lesson_with_checkpoint():
    lesson = make_lesson(series=make_series(slug="refused"))
    return lesson, make_checkpoint(lesson=lesson)
