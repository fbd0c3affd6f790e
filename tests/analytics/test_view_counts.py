"""「閲覧 1,234 回」 on series cards and lessons, from the roll-ups, counting only
lessons the person may see."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import PageViewRestriction

from analytics.models import LessonViewTotal
from cms.organisation import EDITORS_GROUP
from tests.factories import make_lesson, make_series

pytestmark = pytest.mark.django_db


@pytest.fixture
def series():
    series = make_series(title="標的型メール攻撃の脅威", slug="mail")
    open_lesson = make_lesson(series=series, title="添付ファイルに注意")
    closed_lesson = make_lesson(series=series, title="幹部向けの演習")
    restriction = PageViewRestriction.objects.create(
        page=closed_lesson, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name=EDITORS_GROUP)])
    LessonViewTotal.objects.create(lesson=open_lesson, views=1234)
    LessonViewTotal.objects.create(lesson=closed_lesson, views=5000)
    return series


def test_series_cards_count_the_lessons_the_person_may_see(client, learner, series):
    client.force_login(learner)

    html = client.get("/").text

    assert "閲覧 1,234 回" in html
    assert "6,234" not in html


def test_someone_who_may_see_every_lesson_sees_them_all_counted(client, editor, series):
    client.force_login(editor)

    assert "閲覧 6,234 回" in client.get("/").text


def test_the_series_page_shows_each_lessons_count(client, learner, series):
    client.force_login(learner)

    html = client.get(series.url).text

    assert "閲覧 1,234 回" in html
    assert "5,000" not in html


def test_the_lesson_page_shows_its_count(client, learner, series):
    lesson = series.get_children().get(title="添付ファイルに注意")
    client.force_login(learner)

    assert "閲覧 1,234 回" in client.get(lesson.url).text


def test_a_lesson_never_rolled_up_shows_no_views(client, learner):
    lesson = make_lesson(series=make_series(slug="new"), title="新しい教材")
    client.force_login(learner)

    assert "閲覧 0 回" in client.get(lesson.url).text


def test_new_totals_from_the_roll_up_show_at_once(client, learner, series):
    from analytics.rollups import lesson_view_totals_refresh

    from .conftest import at_noon, make_view, rolled_up

    lesson = series.get_children().get(title="添付ファイルに注意").specific
    client.force_login(learner)
    for url in ("/", series.url, lesson.url):
        assert "閲覧 1,234 回" in client.get(url).text

    LessonViewTotal.objects.filter(lesson=lesson).delete()
    day = timezone.localdate() - datetime.timedelta(days=1)
    for _ in range(3):
        make_view(lesson=lesson, user=learner, at=at_noon(day))
    rolled_up(day)
    lesson_view_totals_refresh(lesson_ids=[lesson.pk])

    for url in ("/", series.url, lesson.url):
        html = client.get(url).text
        assert "閲覧 3 回" in html
        assert "1,234" not in html
