"""What curricula, requirements or the ledger name is kept: deleting it is
refused with a message (not a 500), and unpublishing is the way out."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from learning_series.models import LessonPage, SeriesPage
from training.models import Curriculum, ExternalTraining

from .conftest import person, read, sync

pytestmark = pytest.mark.django_db


@pytest.fixture
def pjmo_owing(pjmo_curriculum):
    person("pjmo", roles=["general", "pjmo"])
    sync()
    return pjmo_curriculum


def test_a_series_in_a_curriculum_is_not_deleted(
    client, django_user_model, pjmo_owing, pjmo_series
):
    client.force_login(django_user_model.objects.create_superuser("root", password="x"))

    response = client.post(reverse("wagtailadmin_pages:delete", args=[pjmo_series.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "wagtailadmin_pages:edit", args=[pjmo_series.pk]
    )
    assert SeriesPage.objects.filter(pk=pjmo_series.pk).exists()
    assert LessonPage.objects.filter(pk=pjmo_series.test_lessons[0].pk).exists()


def test_a_lesson_with_completion_records_is_not_deleted(client, editor):
    from tests.factories import make_lesson, make_series

    lesson = make_lesson(series=make_series(slug="records"))
    read(lesson, person("reader"))
    client.force_login(editor)

    response = client.post(reverse("wagtailadmin_pages:delete", args=[lesson.pk]))

    assert response.status_code == 302
    assert LessonPage.objects.filter(pk=lesson.pk).exists()


def test_a_lesson_nobody_depends_on_is_deleted(client, editor):
    from tests.factories import make_lesson, make_series

    lesson = make_lesson(series=make_series(slug="free"))
    client.force_login(editor)

    client.post(reverse("wagtailadmin_pages:delete", args=[lesson.pk]))

    assert not LessonPage.objects.filter(pk=lesson.pk).exists()


def test_a_curriculum_with_requirements_is_kept(client, training_admin, pjmo_owing):
    client.force_login(training_admin)

    response = client.post(
        reverse("wagtailsnippets_training_curriculum:delete", args=[pjmo_owing.pk])
    )

    assert response.status_code == 302
    assert Curriculum.objects.filter(pk=pjmo_owing.pk).exists()
    [message] = get_messages(response.wsgi_request)
    assert "公開を停止" in str(message)


def test_an_external_training_in_a_curriculum_is_kept(
    client, training_admin, pjmo_owing, drill
):
    client.force_login(training_admin)

    response = client.post(
        reverse("wagtailsnippets_training_externaltraining:delete", args=[drill.pk])
    )

    assert response.status_code == 302
    assert ExternalTraining.objects.filter(pk=drill.pk).exists()


def test_an_unused_external_training_is_deleted(client, training_admin):
    unused = ExternalTraining.objects.create(name="未使用の研修", code="unused")
    client.force_login(training_admin)

    client.post(
        reverse("wagtailsnippets_training_externaltraining:delete", args=[unused.pk])
    )

    assert not ExternalTraining.objects.filter(pk=unused.pk).exists()
