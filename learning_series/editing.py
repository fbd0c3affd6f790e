"""Reads for the lesson editor: the latest reviewer comment and the checks an
editor sees before publishing."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.models import TaskState

from . import reading
from .models import LessonPage

# Other apps add checks with this hook: a function taking the lesson and
# returning a list of messages (quizzes: "no checkpoint").
PUBLISH_CHECKS_HOOK = "gofun_lesson_publish_checks"


@dataclass(frozen=True)
class ReviewerComment:
    comment: str
    reviewer: str
    status: str
    task: str
    finished_at: object

    @property
    def changes_requested(self) -> bool:
        return self.status == TaskState.STATUS_REJECTED


def lesson_latest_reviewer_comment(*, lesson: LessonPage) -> ReviewerComment | None:
    """The newest comment left when a task of the editorial workflow was
    approved or rejected for this lesson, or None."""
    state = (
        TaskState.objects.for_instance(lesson)
        .exclude(comment="")
        .filter(finished_at__isnull=False)
        .select_related("finished_by", "task")
        .order_by("-finished_at", "-pk")
        .first()
    )
    if state is None:
        return None
    reviewer = state.finished_by
    return ReviewerComment(
        comment=state.comment,
        reviewer=(reviewer.get_full_name() or reviewer.get_username())
        if reviewer is not None
        else "",
        status=state.status,
        task=str(state.task.name),
        finished_at=state.finished_at,
    )


def _slides(lesson: LessonPage):
    return [block for block in lesson.slides if block.block_type == "slide"]


def lesson_publish_checks(*, lesson: LessonPage) -> list[str]:
    """What an editor should look at before publishing this draft, one
    message each: over the reading budget, pictures without alternative
    text, and what other apps add through PUBLISH_CHECKS_HOOK."""
    draft = lesson.get_latest_revision_as_object() if lesson.pk else lesson
    checks = []
    if draft.over_reading_budget:
        checks.append(
            _(
                "It takes about %(minutes)d minutes to read, past the "
                "%(budget)d-minute budget."
            )
            % {"minutes": draft.reading_minutes, "budget": reading.BUDGET_MINUTES}
        )
    for number, block in enumerate(_slides(draft), 1):
        image = block.value.get("image")
        if image is None:
            continue
        if (
            not (block.value.get("image_alt") or "").strip()
            and not (getattr(image, "description", "") or "").strip()
        ):
            checks.append(
                _(
                    "Slide %(number)d: the picture has no alternative text for "
                    "people who cannot see it."
                )
                % {"number": number}
            )
    for check in hooks.get_hooks(PUBLISH_CHECKS_HOOK):
        checks.extend(check(draft))
    return checks
