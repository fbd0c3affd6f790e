"""StreamField blocks for a quiz's question bank.

Each question and each choice keeps the id Wagtail gives its block; those ids
are the stable keys that attempts, the answer key and item analysis refer to.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TRUE_FALSE = "true_false", _("True or false")


def job_role_choices() -> list[tuple[str, str]]:
    """The job roles a question can be limited to, by their stable codes."""
    from organisation.models import JobRole

    return list(JobRole.objects.values_list("code", "name"))


class AnswerChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Choice"), max_length=500)
    correct = blocks.BooleanBlock(label=_("Correct answer"), required=False)
    explanation = blocks.TextBlock(
        label=_("Explanation"),
        required=False,
        help_text=_("Shown after submission: why this choice is right or wrong."),
    )

    class Meta:
        icon = "tick"
        label = _("Choice")


class QuestionBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Question"))
    kind = blocks.ChoiceBlock(
        label=_("Kind"), choices=QuestionKind.choices, default=QuestionKind.SINGLE
    )
    roles = blocks.MultipleChoiceBlock(
        label=_("Job roles"),
        choices=job_role_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty to ask everyone."),
    )
    choices = blocks.ListBlock(AnswerChoiceBlock(), label=_("Choices"), min_num=2)
    slide = blocks.IntegerBlock(
        label=_("Slide to re-read"),
        required=False,
        min_value=1,
        help_text=_(
            "The slide of the lesson that teaches this; learners who get it "
            "wrong are sent there. Left empty, the slide whose words match "
            "the question best is used."
        ),
    )

    class Meta:
        icon = "help"
        label = _("Question")

    def clean(self, value):
        value = super().clean(value)
        correct = sum(1 for choice in value["choices"] if choice["correct"])
        kind = value["kind"]
        if kind == QuestionKind.MULTIPLE and correct < 1:
            message = _("Mark at least one choice as correct.")
        elif kind != QuestionKind.MULTIPLE and correct != 1:
            message = _("Mark exactly one choice as correct.")
        elif kind == QuestionKind.TRUE_FALSE and len(value["choices"]) != 2:
            message = _("A true-or-false question has exactly two choices.")
        else:
            return value
        raise StructBlockValidationError(
            block_errors={"choices": ValidationError(message)}
        )
