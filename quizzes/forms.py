"""Forms for what learners send: the answers of an attempt."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

# ASCII digits only: str.isdigit() and \d accept "²" and other scripts' digits,
# which int() then refuses or reads as something else.
ANSWER_FIELD = re.compile(r"\Aquestion-([0-9]{1,4})\Z")
CHOICE_INDEX = re.compile(r"\A[0-9]{1,3}\Z")
MAX_ANSWER_VALUES = 64


class AttemptAnswersForm(forms.Form):
    """Reads the question-N fields of a submitted attempt.

    Only question-N fields are read (a score or flag a client adds is
    ignored); every name and value must be a short run of ASCII digits. The
    service then checks the positions against the attempt itself.
    """

    refused_message = _(
        "The answers sent do not match this attempt. Nothing was recorded."
    )

    # Set by the "submit with unanswered questions" button, after a warning.
    submit_unanswered = forms.BooleanField(required=False)

    def __init__(self, data, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.answers: dict[int, list[int]] = {}

    def clean(self):
        answers: dict[int, list[int]] = {}
        for name in self.data:
            if not name.startswith("question-"):
                continue
            match = ANSWER_FIELD.match(name)
            values = self.data.getlist(name)
            if (
                match is None
                or len(values) > MAX_ANSWER_VALUES
                or not all(CHOICE_INDEX.match(value) for value in values)
            ):
                raise forms.ValidationError(self.refused_message, code="malformed")
            answers[int(match.group(1))] = [int(value) for value in values]
        self.answers = answers
        return super().clean()
