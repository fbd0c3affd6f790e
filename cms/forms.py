"""Form fields shared by every app."""

from __future__ import annotations

import re

from django import forms

from .converters import MAX_ID

_ID = re.compile(r"\A[0-9]{1,19}\Z")


class DatabaseIdModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField that looks up only ASCII digits within 64 bits.

    Django's own field hands anything to the database; a value past the
    64-bit range raises OverflowError in a lookup through a foreign key (a
    page's pk), which is a 500, not "choose a valid option".
    """

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(getattr(value, "pk", value)).strip()
        if not _ID.match(text) or int(text) > MAX_ID:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(text)
