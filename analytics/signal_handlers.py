"""Forget a person's cached standing (division, post, roles) when it changes,
so the next view event records the new one."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from organisation.models import RoleAssignment, StaffProfile

from .selectors import viewer_snapshot_forget


@receiver([post_save, post_delete], sender=StaffProfile)
def forget_snapshot_of_profile(sender, instance, **kwargs):
    viewer_snapshot_forget(user_id=instance.user_id)


@receiver([post_save, post_delete], sender=RoleAssignment)
def forget_snapshot_of_role_holder(sender, instance, **kwargs):
    user_id = (
        StaffProfile.objects.filter(pk=instance.profile_id)
        .values_list("user_id", flat=True)
        .first()
    )
    if user_id is not None:
        viewer_snapshot_forget(user_id=user_id)


@receiver(post_save, sender=get_user_model())
def forget_snapshot_of_new_account(sender, instance, created, **kwargs):
    # An id can come round again (a test database, a restored backup).
    if created:
        viewer_snapshot_forget(user_id=instance.pk)
