"""A lesson revision an editor publishes as a material change (要再受講)
re-opens the lesson for those who completed an earlier revision; a revision
that is not marked changes nothing (acceptance 2)."""

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry

from learning_series.models import LessonPage
from quizzes.services import AlreadyPassed, attempt_start, attempt_submit
from tests.learning_series.test_workflow import edit_form
from tests.quizzes.conftest import make_checkpoint, right_answers, seeded
from training.models import CompletionRecord, LessonMaterialChange, Requirement
from training.requirements.selectors import Status, requirement_states
from training.requirements.services import lesson_material_change_record

from .conftest import after_role, days, make_curriculum, owed, person, read, sync, today

pytestmark = pytest.mark.django_db

REASON = "政府統一基準の改定に合わせて格付けの説明を改めた"


def publish_revision(lesson, *, material: bool, editor, reason: str = REASON):
    lesson = LessonPage.objects.get(pk=lesson.pk)
    lesson.summary += "（改定）"
    lesson.material_change = material
    lesson.material_change_reason = reason if material else ""
    revision = lesson.save_revision(user=editor, log_action=True)
    revision.publish(user=editor)
    return revision


@pytest.fixture
def completed(mandatory, security_series):
    """Two people: one who read the whole series, one who has not started."""
    done = person("done")
    fresh = person("fresh")
    sync()
    for lesson in security_series.test_lessons:
        read(lesson, done)
    return done, fresh


def status(user, series):
    return requirement_states([owed(user, series=series).get()])[0]


def test_a_material_revision_reopens_the_series_for_who_completed_it(
    completed, security_series, editor, django_capture_on_commit_callbacks
):
    done, fresh = completed
    lesson = security_series.test_lessons[0]
    before = owed(fresh, series=security_series).get()
    assert status(done, security_series).status == Status.COMPLETED

    with django_capture_on_commit_callbacks(execute=True):
        revision = publish_revision(lesson, material=True, editor=editor)

    change = LessonMaterialChange.objects.get(revision=revision)
    assert (change.reason, change.published_by) == (REASON, editor)
    reopened = owed(done, series=security_series).get()
    assert reopened.material_change == change
    assert reopened.due_on == max(
        reopened.due_on, timezone.localdate(change.published_at) + days(30)
    )
    assert reopened.due_on >= today() + days(30)
    assert status(done, security_series).status != Status.COMPLETED
    superseded = Requirement.objects.get(user=done, lapsed_on__isnull=False)
    assert superseded.lapse_reason == Requirement.LapseReason.RETRAINING
    # The ledger keeps what they did.
    assert CompletionRecord.objects.filter(user=done).count() == 2
    # Someone who had not completed it keeps their requirement and due date.
    assert owed(fresh, series=security_series).get() == before


def test_a_revision_that_is_not_material_changes_nothing(
    completed, security_series, editor, django_capture_on_commit_callbacks
):
    done, _fresh = completed
    requirements = list(Requirement.objects.values_list("pk", "due_on", "lapsed_on"))

    with django_capture_on_commit_callbacks(execute=True):
        publish_revision(security_series.test_lessons[0], material=False, editor=editor)

    assert not LessonMaterialChange.objects.exists()
    assert list(Requirement.objects.values_list("pk", "due_on", "lapsed_on")) == (
        requirements
    )
    assert status(done, security_series).status == Status.COMPLETED


def test_reading_the_new_revision_completes_it_again(
    completed, security_series, editor, django_capture_on_commit_callbacks
):
    done, _fresh = completed
    lesson = security_series.test_lessons[0]
    with django_capture_on_commit_callbacks(execute=True):
        publish_revision(lesson, material=True, editor=editor)

    read(LessonPage.objects.get(pk=lesson.pk), done)

    assert status(done, security_series).status == Status.COMPLETED


def test_a_passed_checkpoint_opens_again_after_a_material_change(
    pjmo_series, editor, django_capture_on_commit_callbacks
):
    lesson = pjmo_series.test_lessons[0]
    checkpoint = make_checkpoint(lesson=lesson)
    make_curriculum(role_code="pjmo", items=[{"lesson": lesson, **after_role(30)}])
    pjmo = person("pjmo", roles=["general", "pjmo"])
    sync()
    attempt = attempt_start(checkpoint=checkpoint, user=pjmo, rng=seeded(1))
    attempt_submit(attempt_id=attempt.pk, user=pjmo, answers=right_answers(attempt))
    with pytest.raises(AlreadyPassed):
        attempt_start(checkpoint=checkpoint, user=pjmo)

    with django_capture_on_commit_callbacks(execute=True):
        publish_revision(lesson, material=True, editor=editor)
    requirement = owed(pjmo).get()
    assert requirement_states([requirement])[0].status == Status.NOT_STARTED

    retake = attempt_start(checkpoint=checkpoint, user=pjmo, rng=seeded(2))
    attempt_submit(attempt_id=retake.pk, user=pjmo, answers=right_answers(retake))
    assert requirement_states([requirement])[0].status == Status.COMPLETED


def test_the_change_is_in_the_audit_log_once(
    completed, security_series, editor, django_capture_on_commit_callbacks
):
    lesson = security_series.test_lessons[0]
    with django_capture_on_commit_callbacks(execute=True):
        revision = publish_revision(lesson, material=True, editor=editor)

    lesson_material_change_record(revision_id=revision.pk)

    entries = PageLogEntry.objects.filter(
        page_id=lesson.pk, action="gofun.training.material_change"
    )
    assert entries.count() == 1
    entry = entries.get()
    assert entry.user == editor
    assert entry.data == {"reason": REASON, "reopened": 1}
    assert REASON in entry.message
    assert LessonMaterialChange.objects.count() == 1


def test_the_mark_belongs_to_one_publication(
    completed, security_series, editor, django_capture_on_commit_callbacks
):
    lesson = security_series.test_lessons[0]
    with django_capture_on_commit_callbacks(execute=True):
        publish_revision(lesson, material=True, editor=editor)

    with django_capture_on_commit_callbacks(execute=True):
        LessonPage.objects.get(pk=lesson.pk).save_revision(user=editor).publish()

    assert LessonMaterialChange.objects.count() == 1
    assert not LessonPage.objects.get(pk=lesson.pk).material_change


def test_an_editor_marks_a_material_change_when_publishing_in_the_admin(
    client, completed, security_series, editor, django_capture_on_commit_callbacks
):
    done, _fresh = completed
    lesson = LessonPage.objects.get(pk=security_series.test_lessons[0].pk)
    data = edit_form(lesson, "publish")
    data.update(material_change="on", material_change_reason=REASON)
    client.force_login(editor)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("wagtailadmin_pages:edit", args=[lesson.pk]), data
        )

    assert response.status_code == 302
    change = LessonMaterialChange.objects.get(lesson=lesson)
    assert (change.reason, change.published_by) == (REASON, editor)
    assert owed(done, series=security_series).get().material_change == change


def test_a_material_change_needs_a_reason(client, security_series, editor):
    lesson = LessonPage.objects.get(pk=security_series.test_lessons[0].pk)
    data = edit_form(lesson, "publish")
    data.update(material_change="on", material_change_reason=" ")
    client.force_login(editor)

    response = client.post(reverse("wagtailadmin_pages:edit", args=[lesson.pk]), data)

    assert response.status_code == 200
    assert "material_change_reason" in response.context["form"].errors
    assert not LessonMaterialChange.objects.exists()


def test_an_author_cannot_mark_a_material_change(client, security_series, author):
    lesson = LessonPage.objects.get(pk=security_series.test_lessons[0].pk)
    data = edit_form(lesson, "submit")
    data.update(material_change="on", material_change_reason="著者の判断")
    client.force_login(author)

    client.post(reverse("wagtailadmin_pages:edit", args=[lesson.pk]), data)

    draft = LessonPage.objects.get(pk=lesson.pk).get_latest_revision()
    assert draft.content["material_change"] is False


def test_the_editor_starts_each_publication_unmarked(
    client, completed, security_series, editor, django_capture_on_commit_callbacks
):
    lesson = security_series.test_lessons[0]
    with django_capture_on_commit_callbacks(execute=True):
        publish_revision(lesson, material=True, editor=editor)
    client.force_login(editor)

    response = client.get(reverse("wagtailadmin_pages:edit", args=[lesson.pk]))

    form = response.context["form"]
    assert form["material_change"].value() is False
    assert form["material_change_reason"].value() == ""
