"""マイ研修 reads what is the same for everyone (each series' lessons, their
checkpoints, material-change cut-offs, what a set of restrictions lets one
see) from the cache: each learner still sees only their own training, and
a change to the tree shows at once. Runs on local memory and on Redis."""

import pytest

from training.requirements.selectors import person_training

from .conftest import after_role, make_curriculum, person, read, sync

pytestmark = pytest.mark.django_db


@pytest.fixture
def curriculum(pjmo_series):
    return make_curriculum(
        role_code="pjmo",
        name="PJMO研修カリキュラム",
        items=[{"series": pjmo_series, **after_role(30)}],
    )


def my_training(client, user) -> str:
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('id="my-training-heading"')
    return html[start : html.index("</section>", start)]


def test_two_learners_never_see_each_others_training(
    client, curriculum, pjmo_series, shared_cache
):
    done = person("done", roles=["general", "pjmo"])
    owing = person("owing", roles=["general", "pjmo"])
    general = person("general", roles=["general"])
    sync()
    read(pjmo_series.test_lessons[0], done)

    panels = {user: my_training(client, user) for user in (done, owing, general)}
    again = {user: my_training(client, user) for user in (general, owing, done)}

    assert panels == again
    assert "PJMOのためのプロジェクト管理入門" not in panels[general]
    owed_titles = [
        state.requirement.target.title for state in person_training(user=owing).owed
    ]
    assert owed_titles == ["PJMOのためのプロジェクト管理入門"]
    assert panels[owing] != panels[done]
    assert not person_training(user=done).owed


def test_a_lesson_added_to_a_series_counts_at_once(
    client, curriculum, pjmo_series, shared_cache
):
    from tests.factories import make_lesson

    done = person("done", roles=["general", "pjmo"])
    sync()
    read(pjmo_series.test_lessons[0], done)
    assert not person_training(user=done).owed
    my_training(client, done)

    make_lesson(series=pjmo_series, title="PJMOの予算管理")

    assert [state.lessons_total for state in person_training(user=done).owed] == [2]
    assert "PJMOのためのプロジェクト管理入門" in my_training(client, done)


def test_home_page_reads_at_most_eight_queries_for_a_learner_who_owes_training(
    client, curriculum, settings, django_assert_max_num_queries
):
    owing = person("owing", roles=["general", "pjmo"])
    sync()
    client.force_login(owing)
    client.get("/")

    with django_assert_max_num_queries(8):
        response = client.get("/")

    assert "PJMOのためのプロジェクト管理入門" in response.content.decode()
