"""An admin panel that shows a lesson's reading time against the budget."""

from __future__ import annotations

from wagtail.admin.panels import Panel


class ReadingTimePanel(Panel):
    """Shows the estimated reading time, with a warning past the budget.

    It warns and never blocks: an editor may publish a longer lesson.
    """

    class BoundPanel(Panel.BoundPanel):
        template_name = "learning_series/admin/reading_time_panel.html"

        def get_context_data(self, parent_context=None):
            from . import reading

            context = super().get_context_data(parent_context)
            lesson = self.instance
            seconds = lesson.reading_seconds if lesson is not None else 0
            context.update(
                reading_minutes=reading.reading_minutes(seconds),
                budget_minutes=reading.BUDGET_MINUTES,
                over_budget=seconds > reading.BUDGET_MINUTES * 60,
                characters_per_minute=reading.CHARACTERS_PER_MINUTE,
            )
            return context
