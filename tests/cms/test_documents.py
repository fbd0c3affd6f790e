"""Documents are served through Wagtail's view, which applies collection privacy."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

from cms.organisation import EDITORS_GROUP

pytestmark = pytest.mark.django_db

SECRET = b"restricted handbook contents"


@pytest.fixture
def private_document():
    collection = Collection.get_first_root_node().add_child(name="編集部限定")
    restriction = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.GROUPS
    )
    restriction.groups.set(Group.objects.filter(name=EDITORS_GROUP))
    document = get_document_model()(title="限定資料", collection=collection)
    document.file.save("handbook.txt", ContentFile(SECRET))
    return document


def test_document_links_go_through_the_serve_view(private_document):
    assert private_document.url.startswith("/documents/")
    assert "/media/" not in private_document.url


def test_restricted_document_is_refused_to_a_learner(client, learner, private_document):
    client.force_login(learner)

    response = client.get(private_document.url)

    assert response.status_code in (302, 403, 404)
    assert SECRET not in b"".join(getattr(response, "streaming_content", [b""]))


def test_restricted_document_is_served_to_the_group(client, editor, private_document):
    client.force_login(editor)

    response = client.get(private_document.url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == SECRET
