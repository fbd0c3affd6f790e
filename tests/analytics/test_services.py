"""A view event per lesson served: what it records, when it is not written,
and that a database refusing it never costs the page."""

import logging
import re

import pytest
from django.contrib.auth.models import Group
from django.core import signing
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from wagtail.models import PageViewRestriction

from analytics.models import LessonView, role_key
from analytics.services import VIEW_TOKEN_SALT, lesson_view_start, new_view_id
from cms.organisation import EDITORS_GROUP
from organisation.models import JobRole, RoleAssignment
from tests.factories import make_lesson, make_series

from .conftest import staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def lesson():
    return make_lesson(series=make_series(slug="mail"), slides=4)


def token_in(html: str) -> str:
    return re.search(r'data-view="([^"]+)"', html).group(1)


def test_serving_a_lesson_records_who_which_revision_and_where_they_stood(
    client, lesson
):
    person = staff("reader", division="会計課", roles=["general", "lan_it"])
    client.force_login(person)

    response = client.get(lesson.url)

    assert response.status_code == 200
    view = LessonView.objects.get()
    profile = person.staff_profile
    roles = JobRole.objects.filter(code__in=["general", "lan_it"])
    assert (view.user_id, view.lesson_id, view.series_id) == (
        person.pk,
        lesson.pk,
        lesson.get_parent().pk,
    )
    assert view.revision_id == lesson.live_revision_id
    assert view.slide_count == 4
    assert (view.division_id, view.post_id) == (profile.division_id, profile.post_id)
    assert view.role_ids == role_key(roles.values_list("pk", flat=True))
    assert view.furthest_slide is None and view.seconds_spent is None


def test_a_role_ended_before_the_view_is_not_recorded(client, lesson):
    person = staff("former-pjmo", roles=["general"])
    RoleAssignment.objects.create(
        profile=person.staff_profile,
        role=JobRole.objects.get(code="pjmo"),
        started_on=timezone.localdate().replace(year=2020),
        ended_on=timezone.localdate().replace(year=2021),
    )
    client.force_login(person)

    client.get(lesson.url)

    general = JobRole.objects.get(code="general")
    assert LessonView.objects.get().role_ids == f",{general.pk},"


def test_the_page_carries_the_signed_view_and_the_beacon_script(
    client, lesson, learner
):
    client.force_login(learner)

    html = client.get(lesson.url).text

    assert "data-gofun-beacon" in html
    assert "/static/analytics/beacon.js" in html
    view = LessonView.objects.get()
    signed = signing.TimestampSigner(salt=VIEW_TOKEN_SALT).unsign_object(token_in(html))
    assert signed == [view.pk, lesson.pk, learner.pk]


def test_each_visit_is_a_view(client, lesson, learner):
    client.force_login(learner)

    client.get(lesson.url)
    client.get(lesson.url)

    assert LessonView.objects.filter(user=learner).count() == 2


def test_a_lesson_the_person_may_not_see_records_nothing(client, learner):
    series = make_series(slug="closed")
    lesson = make_lesson(series=series)
    restriction = PageViewRestriction.objects.create(
        page=series, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name=EDITORS_GROUP)])
    client.force_login(learner)

    response = client.get(lesson.url)

    assert response.status_code == 404
    assert not LessonView.objects.exists()


def test_a_lesson_under_an_unpublished_series_records_nothing(client, learner):
    series = make_series(slug="withdrawn")
    lesson = make_lesson(series=series)
    series.unpublish()
    client.force_login(learner)

    assert client.get(lesson.url).status_code == 404
    assert not LessonView.objects.exists()


def test_a_preview_records_nothing(client, lesson, editor):
    client.force_login(editor)
    lesson.save_revision(user=editor)

    response = client.get(f"/admin/pages/{lesson.pk}/view_draft/")

    assert response.status_code == 200
    assert not LessonView.objects.exists()


@override_settings(GOFUN_VIEW_LOGGING=False)
def test_with_logging_switched_off_the_page_has_no_view_and_no_beacon(
    client, lesson, learner
):
    client.force_login(learner)

    html = client.get(lesson.url).text

    assert not LessonView.objects.exists()
    assert "data-gofun-beacon" not in html
    assert "beacon.js" not in html


REFUSE_INSERTS = {
    "sqlite": [
        "CREATE TRIGGER analytics_refuse_views BEFORE INSERT ON analytics_lessonview "
        "BEGIN SELECT RAISE(ABORT, 'view log is read-only'); END"
    ],
    "postgresql": [
        "CREATE FUNCTION analytics_refuse_views() RETURNS trigger AS $$ BEGIN "
        "RAISE EXCEPTION 'view log is read-only'; END $$ LANGUAGE plpgsql",
        "CREATE TRIGGER analytics_refuse_views BEFORE INSERT ON analytics_lessonview "
        "FOR EACH ROW EXECUTE FUNCTION analytics_refuse_views()",
    ],
}


def test_the_page_is_served_when_the_database_refuses_the_view(
    client, lesson, learner, caplog
):
    with connection.cursor() as cursor:
        for statement in REFUSE_INSERTS[connection.vendor]:
            cursor.execute(statement)
    client.force_login(learner)

    with caplog.at_level(logging.ERROR, logger="gofun.analytics"):
        response = client.get(lesson.url)

    assert response.status_code == 200
    assert "スライド1" in response.text
    assert "data-gofun-beacon" not in response.text
    assert not LessonView.objects.exists()
    [failure] = [r for r in caplog.records if r.name == "gofun.analytics"]
    assert f"lesson {lesson.pk}" in failure.getMessage()
    assert f"user {learner.pk}" in failure.getMessage()
    assert failure.exc_info is not None


def test_view_ids_grow_with_time():
    now = timezone.now()
    later = now + timezone.timedelta(milliseconds=1)

    first = new_view_id(now=now)

    assert first >> 20 == int(now.timestamp() * 1000)
    assert first < new_view_id(now=later) < 2**63


def test_someone_not_signed_in_records_nothing(lesson):
    from django.contrib.auth.models import AnonymousUser

    assert lesson_view_start(lesson=lesson, series=None, user=AnonymousUser()) is None
    assert not LessonView.objects.exists()
