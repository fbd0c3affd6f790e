"""Admin panels on the lesson editor: the reading time (live while typing),
the latest reviewer comment, and the checks editors see before publishing."""

from __future__ import annotations

import json

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.admin.panels import Panel

from . import reading


def _minutes_messages(singular: str, plural: str, budget: int) -> dict[str, str]:
    # The editor's script fills in {minutes}; languages here have at most a
    # singular and a plural.
    return {
        form: ngettext(singular, plural, count)
        % {"counter": "{minutes}", "budget": budget}
        for form, count in (("one", 1), ("other", 2))
    }


class ReadingTimePanel(Panel):
    """Shows the estimated reading time, with a warning past the budget.

    It warns and never blocks: an editor may publish a longer lesson. The
    server's text is right for the draft as last saved; with JavaScript the
    panel recounts as the slides are typed, by the same rules.
    """

    class BoundPanel(Panel.BoundPanel):
        template_name = "learning_series/admin/reading_time_panel.html"

        @property
        def media(self):
            return forms.Media(js=["learning_series/reading_time.js"])

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            lesson = self.instance
            seconds = lesson.reading_seconds if lesson is not None else 0
            budget = reading.BUDGET_MINUTES
            config = {
                "rules": reading.STRIP_RULES,
                "perMinute": reading.CHARACTERS_PER_MINUTE,
                "budgetMinutes": budget,
                "messages": {
                    "empty": _(
                        "No slide text yet: the reading time appears as you write."
                    ),
                    "within": _minutes_messages(
                        "About %(counter)s minute to read (budget: %(budget)s "
                        "minutes).",
                        "About %(counter)s minutes to read (budget: %(budget)s "
                        "minutes).",
                        budget,
                    ),
                    "over": _minutes_messages(
                        "This lesson takes about %(counter)s minute to read, past "
                        "the %(budget)s-minute budget. Consider splitting it into "
                        "two lessons.",
                        "This lesson takes about %(counter)s minutes to read, past "
                        "the %(budget)s-minute budget. Consider splitting it into "
                        "two lessons.",
                        budget,
                    ),
                },
            }
            context.update(
                empty=seconds == 0,
                reading_minutes=reading.reading_minutes(seconds),
                budget_minutes=budget,
                over_budget=seconds > budget * 60,
                characters_per_minute=reading.CHARACTERS_PER_MINUTE,
                config=json.dumps(config, ensure_ascii=False),
            )
            return context


class ReviewerCommentPanel(Panel):
    """The latest comment a reviewer left in the editorial workflow, where
    the author edits the lesson (Wagtail shows it only in the history)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "learning_series/admin/reviewer_comment_panel.html"

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            from .editing import lesson_latest_reviewer_comment

            self.review = (
                lesson_latest_reviewer_comment(lesson=self.instance)
                if self.instance is not None and self.instance.pk
                else None
            )

        def is_shown(self):
            return self.review is not None and super().is_shown()

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["review"] = self.review
            return context


class PublishChecksPanel(Panel):
    """What an editor should look at before publishing: shown to those who
    may publish the lesson. It warns and never blocks."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "learning_series/admin/publish_checks_panel.html"

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            from .editing import lesson_publish_checks

            lesson = self.instance
            can_publish = (
                lesson is not None
                and lesson.pk
                and self.request is not None
                and lesson.permissions_for_user(self.request.user).can_publish()
            )
            self.checks = lesson_publish_checks(lesson=lesson) if can_publish else None

        def is_shown(self):
            return self.checks is not None and super().is_shown()

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["checks"] = self.checks
            return context
