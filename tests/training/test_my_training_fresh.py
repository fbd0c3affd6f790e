"""The home page is served from the person's stored copy
(cms.page_caching.PersonalPageCacheMixin), and マイ研修 on it still shows
each change to what the person owes on the very next request: a new
curriculum, a role gained, a lesson completed, a
checkpoint attempt started. Runs on local memory and on Redis."""

import pytest
from django.test import Client

from organisation.services import staff_role_assign
from quizzes.services import attempt_start
from tests.quizzes.conftest import make_checkpoint, seeded

from .conftest import after_role, make_curriculum, person, read, role, sync

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def my_training(client, *, stored: bool = True) -> str:
    """マイ研修 as the person's next request shows it (asserting that the
    page came from their stored copy, or was built again)."""
    response = client.get("/")
    assert response.status_code == 200
    assert (response.context is None) is stored
    html = response.content.decode()
    start = html.index('id="my-training-heading"')
    return html[start : html.index("</section>", start)]


def stored_home(client) -> str:
    my_training(client, stored=False)
    return my_training(client, stored=True)


def test_a_new_curriculum_shows_at_once(pjmo_series, shared_cache):
    pjmo = person("pjmo", roles=["general", "pjmo"])
    sync()
    pjmo_client = signed_in(pjmo)
    assert "PJMOのためのプロジェクト管理入門" not in stored_home(pjmo_client)

    make_curriculum(role_code="pjmo", items=[{"series": pjmo_series, **after_role(30)}])
    sync()

    assert "PJMOのためのプロジェクト管理入門" in my_training(pjmo_client, stored=False)


def test_a_role_gained_shows_what_it_brings_at_once(pjmo_curriculum, shared_cache):
    general = person("general", roles=["general"])
    sync()
    general_client = signed_in(general)
    assert "PJMOのためのプロジェクト管理入門" not in stored_home(general_client)

    staff_role_assign(profile=general.staff_profile, role=role("pjmo"))
    sync(user_ids=[general.pk])  # as the task the change queues does

    assert "PJMOのためのプロジェクト管理入門" in my_training(
        general_client, stored=False
    )


def test_completing_a_lesson_shows_at_once(pjmo_series, shared_cache):
    make_curriculum(role_code="pjmo", items=[{"series": pjmo_series, **after_role(30)}])
    pjmo = person("pjmo", roles=["general", "pjmo"])
    other = person("other", roles=["general", "pjmo"])
    sync()
    pjmo_client, other_client = signed_in(pjmo), signed_in(other)
    before = stored_home(pjmo_client)
    others_before = stored_home(other_client)

    read(pjmo_series.test_lessons[0], pjmo)

    assert my_training(pjmo_client, stored=False) != before
    # Another person's stored page is theirs, and still stands.
    assert my_training(other_client, stored=True) == others_before


def test_starting_a_checkpoint_attempt_shows_at_once(pjmo_series, shared_cache):
    lesson = pjmo_series.test_lessons[0]
    checkpoint = make_checkpoint(lesson=lesson)
    make_curriculum(role_code="pjmo", items=[{"lesson": lesson, **after_role(30)}])
    pjmo = person("pjmo", roles=["general", "pjmo"])
    sync()
    pjmo_client = signed_in(pjmo)
    assert "チェックポイントを続ける" not in stored_home(pjmo_client)

    attempt_start(checkpoint=checkpoint, user=pjmo, rng=seeded(3))

    assert "チェックポイントを続ける" in my_training(pjmo_client, stored=False)
