"""The beacon: accepted only for the viewer's own view, validated, bounded."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from wagtail.models import PageViewRestriction

from analytics.models import LessonView
from analytics.services import view_token
from cms.organisation import EDITORS_GROUP
from tests.factories import StaffProfileFactory, make_lesson, make_series

from .conftest import make_view

pytestmark = pytest.mark.django_db

BEACON = reverse("analytics:beacon")


@pytest.fixture
def lesson():
    return make_lesson(series=make_series(slug="beacon"), slides=5)


@pytest.fixture
def view(lesson, learner):
    return make_view(lesson=lesson, user=learner)


def report(event, **changes) -> dict:
    data = {
        "view": view_token(view=event),
        "lesson": str(event.lesson_id),
        "furthest": "3",
        "through": "2",
        "seconds": "40",
    }
    data.update(changes)
    return data


def test_a_report_raises_the_views_slides_and_time(client, learner, view):
    client.force_login(learner)

    response = client.post(BEACON, report(view))

    assert response.status_code == 204
    view.refresh_from_db()
    assert (view.furthest_slide, view.read_through_slide, view.seconds_spent) == (
        3,
        2,
        40,
    )


def test_figures_only_ever_grow(client, learner, view):
    client.force_login(learner)
    client.post(BEACON, report(view, furthest="5", through="5", seconds="90"))

    client.post(BEACON, report(view, furthest="2", through="1", seconds="10"))

    view.refresh_from_db()
    assert (view.furthest_slide, view.read_through_slide, view.seconds_spent) == (
        5,
        5,
        90,
    )


def test_a_report_on_someone_elses_view_is_refused(client, view):
    other = StaffProfileFactory(user__username="other").user
    client.force_login(other)

    response = client.post(BEACON, report(view, furthest="5", through="5"))

    assert response.status_code == 403
    view.refresh_from_db()
    assert view.furthest_slide is None


def test_a_forged_or_altered_view_token_is_refused(client, learner, view):
    client.force_login(learner)
    token = view_token(view=view)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")

    for bad in (forged, "1234", "", "x" * 301):
        response = client.post(BEACON, report(view, view=bad))
        assert response.status_code == 400, bad
    view.refresh_from_db()
    assert view.furthest_slide is None


def test_a_report_naming_another_lesson_is_refused(client, learner, view):
    other_lesson = make_lesson(series=make_series(slug="other"), slides=9)
    client.force_login(learner)

    response = client.post(BEACON, report(view, lesson=str(other_lesson.pk)))

    assert response.status_code == 400


def test_a_slide_past_the_end_of_the_deck_is_refused(client, learner, view):
    client.force_login(learner)

    response = client.post(BEACON, report(view, furthest="6", through="6"))

    assert response.status_code == 400
    view.refresh_from_db()
    assert view.furthest_slide is None


@pytest.mark.parametrize(
    "field,value",
    [
        ("furthest", "0"),
        ("furthest", "-1"),
        ("furthest", "３"),
        ("furthest", "1e3"),
        ("furthest", "99999999999999999999999"),
        ("seconds", "86401"),
        ("seconds", "3.5"),
        ("through", "4"),  # past the furthest slide (3)
        ("lesson", "abc"),
        ("lesson", "9" * 25),
    ],
)
def test_malformed_figures_are_refused(client, learner, view, field, value):
    client.force_login(learner)

    response = client.post(BEACON, report(view, **{field: value}))

    assert response.status_code == 400
    view.refresh_from_db()
    assert view.furthest_slide is None


def test_a_report_for_a_lesson_no_longer_visible_is_refused(
    client, learner, view, lesson
):
    restriction = PageViewRestriction.objects.create(
        page=lesson.get_parent(), restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name=EDITORS_GROUP)])
    client.force_login(learner)

    response = client.post(BEACON, report(view))

    assert response.status_code == 404
    view.refresh_from_db()
    assert view.furthest_slide is None


def test_a_report_on_a_view_never_written_is_not_found(client, learner, view):
    client.force_login(learner)
    token = view_token(view=view)
    LessonView.objects.all().delete()

    response = client.post(BEACON, report(view, view=token))

    assert response.status_code == 404


def test_someone_not_signed_in_is_refused_not_redirected(view):
    response = Client().post(BEACON, report(view))

    assert response.status_code == 403


def test_the_beacon_needs_the_csrf_token(learner, view):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)

    response = client.post(BEACON, report(view))

    assert response.status_code == 403
    view.refresh_from_db()
    assert view.furthest_slide is None


def test_the_beacon_takes_only_posts(client, learner):
    client.force_login(learner)

    assert client.get(BEACON).status_code == 405
