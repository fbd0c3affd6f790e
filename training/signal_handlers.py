"""Thin receivers: they only enqueue the tasks that keep requirements in step.

Role assignments announce themselves once committed
(organisation.services.role_assignment_changed); everything else enqueues
when its transaction commits, so a task never reads a change before it is
visible.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, published, unpublished

from cms import cache_versions
from learning_series.models import LessonPage
from organisation.models import StaffProfile
from organisation.services import role_assignment_changed

from .models import (
    CompletionRecord,
    Curriculum,
    CurriculumItem,
    ExternalTraining,
    LessonMaterialChange,
    Requirement,
)
from .tasks import (
    lesson_material_change_task,
    requirements_sync_for_profiles_task,
    requirements_sync_task,
)


def _roles_changed(sender, profile_id: int, **kwargs) -> None:
    requirements_sync_for_profiles_task.enqueue(profile_ids=[profile_id])
    # Which checkpoint a person takes follows their roles.
    cache_versions.bump_people(
        StaffProfile.objects.filter(pk=profile_id).values_list("user_id", flat=True)
    )


def _profile_changed(sender, instance: StaffProfile, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    user_ids = [instance.user_id]
    transaction.on_commit(lambda: requirements_sync_task.enqueue(user_ids=user_ids))


def _curriculum_changed(sender, instance: Curriculum, **kwargs) -> None:
    transaction.on_commit(lambda: requirements_sync_task.enqueue())


def _lesson_published(sender, instance: LessonPage, revision, **kwargs) -> None:
    if instance.material_change:
        revision_id = revision.pk
        transaction.on_commit(
            lambda: lesson_material_change_task.enqueue(revision_id=revision_id)
        )


def _material_change_recorded(sender, **kwargs) -> None:
    # The lesson's row is unmarked by an UPDATE (no signal of its own) and
    # the cut-off of completions moves: both are cached under the tree.
    if not kwargs.get("raw"):
        cache_versions.bump(cache_versions.TREE)


def register_signal_handlers() -> None:
    # What pages built for a person show of their standing (cms.page_caching).
    for model in (CompletionRecord, Requirement, StaffProfile):
        cache_versions.bump_on_change(
            model, uid=f"gofun_cache_person_{model._meta.label_lower}"
        )
    for model in (Curriculum, CurriculumItem, ExternalTraining):
        cache_versions.bump_on_change(
            model,
            person_of=lambda instance: None,
            uid=f"gofun_cache_training_{model._meta.label_lower}",
        )
    for signal, uid in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(
            _material_change_recorded,
            sender=LessonMaterialChange,
            dispatch_uid=f"gofun_training_material_change_{uid}",
        )
    role_assignment_changed.connect(_roles_changed, dispatch_uid="gofun_training_roles")
    post_save.connect(
        _profile_changed, sender=StaffProfile, dispatch_uid="gofun_training_profile"
    )
    post_delete.connect(
        _profile_changed,
        sender=StaffProfile,
        dispatch_uid="gofun_training_profile_deleted",
    )
    published.connect(
        _curriculum_changed, sender=Curriculum, dispatch_uid="gofun_training_pub"
    )
    unpublished.connect(
        _curriculum_changed, sender=Curriculum, dispatch_uid="gofun_training_unpub"
    )
    page_published.connect(
        _lesson_published, sender=LessonPage, dispatch_uid="gofun_training_lesson"
    )
