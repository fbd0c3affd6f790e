from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .codes import code_normalise


class VerificationCodeForm(forms.Form):
    """A verification code as typed from a printed certificate."""

    code = forms.CharField(
        label=_("Verification code"),
        max_length=64,
        help_text=_("The code printed on the certificate, e.g. 7K3M-Q9TR-…"),
    )

    def clean_code(self) -> str:
        code = code_normalise(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(
                _("This is not a verification code: it has 20 letters and digits.")
            )
        return code
