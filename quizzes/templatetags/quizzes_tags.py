"""The checkpoint panel at the end of a lesson or series page."""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal, InvalidOperation

from django import template

from learning_series.models import LessonPage
from training.selectors import lesson_read_record

from ..selectors import checkpoint_for_page, checkpoint_status

register = template.Library()


@register.filter
def whole_percent(value) -> int | str:
    """A score as a whole percentage, rounded down so that a score shown as
    the pass mark has reached it (69.99% fails a 70% mark and shows 69%)."""
    if value is None or value == "":
        return ""
    try:
        return int(Decimal(value).to_integral_value(rounding=ROUND_FLOOR))
    except (InvalidOperation, TypeError, ValueError):
        return ""


@register.inclusion_tag("quizzes/includes/checkpoint_panel.html", takes_context=True)
def lesson_checkpoint(context, page):
    """The page's checkpoint and the learner's standing, or "読み終えました"."""
    request = context.get("request")
    user = getattr(request, "user", None)
    panel = {"page": page, "csrf_token": context.get("csrf_token"), "request": request}
    if user is None or not user.is_authenticated or not page.pk:
        return panel
    checkpoint = checkpoint_for_page(page=page)
    panel["checkpoint"] = checkpoint
    if checkpoint is not None:
        panel["status"] = checkpoint_status(checkpoint=checkpoint, user=user)
    elif isinstance(page, LessonPage):
        panel["is_lesson"] = True
        panel["read_record"] = lesson_read_record(lesson=page, user=user)
    return panel
