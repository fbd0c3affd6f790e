"""Bad ids and answers are a 4xx with nothing changed, never a 500, and do not
tell another person's attempt from a missing one."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from quizzes.models import Attempt
from quizzes.services import attempt_start
from tests.factories import StaffProfileFactory

from .conftest import seeded

pytestmark = pytest.mark.django_db

HUGE = "9" * 25


@pytest.fixture
def attempt(checkpoint, learner):
    return attempt_start(checkpoint=checkpoint, user=learner, rng=seeded(3))


@pytest.mark.parametrize(
    "value", ["²", "١", "0" * 5000, "9" * 5000, "-1", "1.0", " 1", "1\n"]
)
def test_malformed_answer_is_refused_without_grading(client, learner, attempt, value):
    client.force_login(learner)

    response = client.post(
        reverse("quizzes:attempt_submit", args=[attempt.pk]), {"question-0": value}
    )

    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.OPEN
    assert "何も記録していません" in client.get(response.url).text


@pytest.mark.parametrize("name", ["question-²", "question-" + "1" * 5000])
def test_malformed_answer_name_is_refused(client, learner, attempt, name):
    client.force_login(learner)

    response = client.post(
        reverse("quizzes:attempt_submit", args=[attempt.pk]),
        urlencode({name: "0"}),
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.OPEN


@pytest.mark.parametrize("value", ["²", "9" * 5000, "0"])
def test_someone_elses_attempt_is_not_found_whatever_the_answers(
    client, attempt, value
):
    other = StaffProfileFactory(user__username="other", roles=["general"]).user
    client.force_login(other)

    response = client.post(
        reverse("quizzes:attempt_submit", args=[attempt.pk]), {"question-0": value}
    )
    missing = client.post(
        reverse("quizzes:attempt_submit", args=[attempt.pk + 1000]),
        {"question-0": value},
    )

    assert response.status_code == missing.status_code == 404
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.OPEN


@pytest.mark.parametrize(
    "url",
    [
        f"/quizzes/lessons/{HUGE}/read/",
        f"/quizzes/checkpoints/{HUGE}/start/",
        f"/quizzes/attempts/{HUGE}/submit/",
        "/quizzes/lessons/9223372036854775808/read/",
        "/quizzes/lessons/²/read/",
    ],
)
def test_overflowing_ids_in_quiz_urls_are_not_found(client, learner, url):
    client.force_login(learner)

    assert client.post(url).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        f"/quizzes/attempts/{HUGE}/",
        "/quizzes/attempts/9223372036854775807/",
    ],
)
def test_overflowing_or_largest_attempt_id_is_not_found(client, learner, url):
    client.force_login(learner)

    assert client.get(url).status_code == 404
