"""An admin panel that warns when a checkpoint's bank is too small to vary."""

from __future__ import annotations

from wagtail.admin.panels import Panel


class QuestionBankPanel(Panel):
    """Names the learners who would draw the same questions on every attempt.

    It warns and never blocks: a short checkpoint may be meant that way.
    """

    class BoundPanel(Panel.BoundPanel):
        template_name = "quizzes/admin/question_bank_panel.html"

        def get_context_data(self, parent_context=None):
            from .selectors import checkpoint_bank_shortfalls

            context = super().get_context_data(parent_context)
            checkpoint = self.instance
            context["shortfalls"] = (
                checkpoint_bank_shortfalls(checkpoint=checkpoint)
                if checkpoint is not None
                else []
            )
            return context
