"""Whether a learner really read a lesson: asked before reading to the end is
recorded.

training knows nothing of how reading is observed; an app above it (analytics,
which logs views and how far they went) registers a provider with the
READING_EVIDENCE hook: `fn(lesson=, user=)` returns None when the person's
reading of the lesson's live revision is enough to record, or the reason, in
the person's language, why it is not. With no provider registered nothing can
be confirmed, so nothing is recorded (fail closed).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from wagtail import hooks

READING_EVIDENCE = "gofun_reading_evidence"


def reading_refusal(*, lesson, user) -> str | None:
    """None when a provider confirms the reading, else why it is refused."""
    reasons = []
    for provider in hooks.get_hooks(READING_EVIDENCE):
        reason = provider(lesson=lesson, user=user)
        if reason is None:
            return None
        reasons.append(reason)
    if reasons:
        return reasons[0]
    return _(
        "Reading to the end cannot be confirmed at the moment, so it has not "
        "been recorded."
    )
