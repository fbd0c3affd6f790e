"""The visibility rule (learning_series.visibility) and every page that asks it:
a lesson is seen only if it and every ancestor are live and every view
restriction on its path lets the person in."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from cms.organisation import EDITORS_GROUP
from learning_series import visibility
from learning_series.selectors import lesson_place_in_series
from tests.factories import make_lesson, make_series

pytestmark = pytest.mark.django_db


def restrict(page, kind=PageViewRestriction.GROUPS, groups=(), password=""):
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=kind, password=password
    )
    if groups:
        restriction.groups.set(Group.objects.filter(name__in=groups))
    return restriction


@pytest.fixture
def series():
    return make_series(title="公開シリーズ", slug="open")


def test_lesson_in_an_unpublished_series_is_not_found(client, learner, series):
    lesson = make_lesson(series=series, title="シリーズ非公開の教材")
    series.unpublish()
    client.force_login(learner)

    response = client.get(lesson.url)

    assert response.status_code == 404
    assert "シリーズ非公開の教材" not in response.text
    assert not visibility.page_visible_to(page=lesson, user=learner)


def test_lesson_restricted_to_editors_is_not_found_for_a_learner(
    client, learner, editor, series
):
    lesson = make_lesson(series=series, title="編集者限定の教材")
    restrict(lesson, groups=[EDITORS_GROUP])

    client.force_login(learner)
    assert client.get(lesson.url).status_code == 404
    client.force_login(editor)
    assert "編集者限定の教材" in client.get(lesson.url).text


def test_password_restriction_asks_for_the_password_then_shows_the_lesson(
    client, learner, series
):
    lesson = make_lesson(series=series, title="合言葉の教材", slides=1)
    restriction = restrict(
        lesson, kind=PageViewRestriction.PASSWORD, password="himitsu-123"
    )
    client.force_login(learner)

    asked = client.get(lesson.url)
    assert asked.status_code == 200
    assert "スライド1" not in asked.text
    assert 'name="password"' in asked.text

    client.post(
        f"/_util/authenticate_with_password/{restriction.pk}/{lesson.pk}/",
        {"password": "himitsu-123", "return_url": lesson.url},
    )
    assert "スライド1" in client.get(lesson.url).text


def test_series_lists_and_counts_leave_out_restricted_lessons(client, learner, series):
    make_lesson(series=series, title="誰でも読める教材")
    hidden = make_lesson(series=series, title="限定の教材")
    restrict(hidden, groups=[EDITORS_GROUP])
    client.force_login(learner)

    # Titles carry <wbr> hints between Japanese phrases.
    html = client.get(series.url).text.replace("<wbr>", "")

    assert "誰でも読める教材" in html
    assert "限定の教材" not in html


def test_neighbours_skip_a_restricted_lesson(client, learner, series):
    first = make_lesson(series=series, title="第一の教材")
    hidden = make_lesson(series=series, title="限定の第二教材")
    third = make_lesson(series=series, title="第三の教材")
    restrict(hidden, groups=[EDITORS_GROUP])
    client.force_login(learner)

    place = lesson_place_in_series(lesson=first, user=learner)
    html = client.get(first.url).text.replace("<wbr>", "")

    assert place.next_lesson.pk == third.pk
    assert "限定の第二教材" not in html
    assert hidden.url not in html


def test_visible_pages_take_the_same_queries_however_many_restrictions(learner, series):
    lessons = [make_lesson(series=series, title=f"教材{n}") for n in range(6)]
    restrict(lessons[0], groups=[EDITORS_GROUP])

    def count_queries():
        cache.clear()  # the restrictions are cached: count a cold read
        with CaptureQueriesContext(connection) as queries:
            list(visibility.lessons_visible_to(user=learner))
        return len(queries)

    few = count_queries()
    for lesson in lessons[1:5]:
        restrict(lesson, groups=[EDITORS_GROUP])
    restrict(series, kind=PageViewRestriction.LOGIN)

    assert count_queries() == few
    visible = list(visibility.lessons_visible_to(user=learner))
    assert [lesson.pk for lesson in visible] == [lessons[5].pk]


def test_login_restriction_lets_every_signed_in_person_in(learner, series):
    lesson = make_lesson(series=series)
    restrict(series, kind=PageViewRestriction.LOGIN)

    assert visibility.page_visible_to(page=lesson, user=learner)
    assert lesson.pk in {page.pk for page in visibility.lessons_visible_to_all_staff()}


def test_superuser_passes_group_restrictions_but_not_unpublished_ancestors(
    series, django_user_model
):
    admin = django_user_model.objects.create_superuser("root-admin", password="x")
    lesson = make_lesson(series=series)
    restrict(lesson, groups=[EDITORS_GROUP])
    assert visibility.page_visible_to(page=lesson, user=admin)

    series.unpublish()
    assert not visibility.page_visible_to(page=lesson, user=admin)
