"""Authors delete only their own drafts; editors any."""

import pytest
from django.urls import reverse

from learning_series.models import LessonPage
from tests.factories import UserFactory, make_lesson, make_series

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_author(db):
    from cms.organisation import AUTHORS_GROUP

    return UserFactory(username="author-2", groups=[AUTHORS_GROUP])


def test_author_cannot_delete_another_authors_draft(client, author, other_author):
    draft = make_lesson(series=make_series(), owner=other_author, live=False)
    client.force_login(author)

    response = client.post(reverse("wagtailadmin_pages:delete", args=[draft.pk]))

    assert response.status_code in (302, 403)
    assert LessonPage.objects.filter(pk=draft.pk).exists()
    assert not draft.permissions_for_user(author).can_delete()


def test_author_can_delete_their_own_draft(client, author):
    draft = make_lesson(series=make_series(), owner=author, live=False)
    client.force_login(author)

    client.post(reverse("wagtailadmin_pages:delete", args=[draft.pk]))

    assert not LessonPage.objects.filter(pk=draft.pk).exists()


def test_author_still_edits_another_authors_draft(author, other_author):
    draft = make_lesson(series=make_series(), owner=other_author, live=False)

    assert draft.permissions_for_user(author).can_edit()


def test_editor_can_delete_any_draft(author, editor):
    draft = make_lesson(series=make_series(), owner=author, live=False)

    assert draft.permissions_for_user(editor).can_delete()


def test_author_cannot_delete_a_series_holding_others_drafts(author, other_author):
    series = make_series(slug="shared")
    series.owner = author
    series.save_revision().publish()
    series.unpublish()
    make_lesson(series=series, owner=other_author, live=False)

    assert not series.permissions_for_user(author).can_delete()
