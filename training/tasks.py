"""Background work that keeps requirements in step (django-tasks).

Each task is small and idempotent, so running one twice, late or after a
restart changes nothing more than running it once: the sync compares what
is stored with what is owed, and a material change is recorded once per
revision. Signal handlers enqueue them once the transaction commits.
"""

from __future__ import annotations

import datetime
import logging

from django_tasks import task

from organisation.models import StaffProfile

from .requirements.services import lesson_material_change_record, requirements_sync

logger = logging.getLogger("gofun.training")


def _sync(user_ids: list[int] | None, today: str | None) -> dict[str, int]:
    try:
        result = requirements_sync(
            user_ids=user_ids,
            today=datetime.date.fromisoformat(today) if today else None,
        )
    except Exception:
        logger.exception("Syncing training requirements failed for %s", user_ids)
        raise
    return {
        "created": result.created,
        "updated": result.updated,
        "lapsed": result.lapsed,
    }


@task()
def requirements_sync_task(
    user_ids: list[int] | None = None, today: str | None = None
) -> dict[str, int]:
    """Sync the requirements of these people (everyone when None)."""
    return _sync(user_ids, today)


@task()
def requirements_sync_for_profiles_task(profile_ids: list[int]) -> dict[str, int]:
    """Sync the requirements of the people with these staff profiles."""
    user_ids = list(
        StaffProfile.objects.filter(pk__in=profile_ids).values_list(
            "user_id", flat=True
        )
    )
    return _sync(user_ids, None)


@task()
def lesson_material_change_task(revision_id: int) -> bool:
    """Record a lesson revision published as a material change, and re-open
    the lesson for those who completed an earlier one."""
    try:
        return lesson_material_change_record(revision_id=revision_id) is not None
    except Exception:
        logger.exception(
            "Recording the material change of revision %s failed", revision_id
        )
        raise
