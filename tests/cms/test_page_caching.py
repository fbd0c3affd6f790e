"""The site's pages are found through a cached route and served from a cached
page; Wagtail's view-restriction check reads cached ids; the header's admin
link is decided once per session until sign-out or a change of groups."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from cms.organisation import EDITORS_GROUP
from tests.factories import UserFactory, make_lesson, make_series

pytestmark = pytest.mark.django_db

ADMIN_LINK = 'href="/admin/"'


@pytest.fixture
def lesson():
    return make_lesson(series=make_series(slug="mail"), title="添付ファイルに注意")


def test_a_path_that_names_no_page_is_not_found(client, learner, lesson):
    client.force_login(learner)

    assert client.get(lesson.url + "no-such-page/").status_code == 404
    assert client.get("/series/no-such-series/").status_code == 404


def test_a_renamed_slug_is_served_at_the_new_address(client, learner, lesson):
    client.force_login(learner)
    assert client.get(lesson.url).status_code == 200
    old_url = lesson.url

    lesson.slug = "attachments"
    lesson.save_revision().publish()
    lesson.refresh_from_db()

    assert client.get(lesson.url).status_code == 200
    assert client.get(old_url).status_code != 200


def test_a_page_without_restrictions_needs_no_query_for_them(lesson):
    lesson.get_view_restrictions()  # cached

    with CaptureQueriesContext(connection) as queries:
        assert list(lesson.get_view_restrictions()) == []

    assert len(queries) == 0


def test_restrictions_on_an_ancestor_apply_at_once(lesson):
    assert list(lesson.get_view_restrictions()) == []

    restriction = PageViewRestriction.objects.create(
        page=lesson.get_parent(), restriction_type=PageViewRestriction.LOGIN
    )

    assert list(lesson.get_view_restrictions()) == [restriction]


def test_the_admin_link_is_shown_to_who_may_enter_the_admin(client, learner, editor):
    client.force_login(editor)
    assert ADMIN_LINK in client.get("/").content.decode()
    client.force_login(learner)
    assert ADMIN_LINK not in client.get("/").content.decode()


def test_joining_a_group_that_enters_the_admin_shows_the_link_at_once(client, learner):
    client.force_login(learner)
    assert ADMIN_LINK not in client.get("/").content.decode()

    learner.groups.add(Group.objects.get(name=EDITORS_GROUP))

    assert ADMIN_LINK in client.get("/").content.decode()


def test_losing_the_admin_permission_hides_the_link_at_once(client):
    group = Group.objects.create(name="閲覧担当")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    person = UserFactory(username="viewer", groups=["閲覧担当"])
    client.force_login(person)
    assert ADMIN_LINK in client.get("/").content.decode()

    group.permissions.clear()

    assert ADMIN_LINK not in client.get("/").content.decode()


def test_the_answer_is_not_carried_to_another_session(client, editor, learner):
    client.force_login(editor)
    assert ADMIN_LINK in client.get("/").content.decode()
    client.logout()

    client.force_login(learner)

    assert ADMIN_LINK not in client.get("/").content.decode()
