"""Forms of the training admin: attendance one by one or from a CSV, waivers,
finding a member of staff. They validate input; the services decide."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminDateInput

from cms.forms import DatabaseIdModelChoiceField
from organisation.models import StaffProfile

from .attendance import MAX_BYTES as CSV_MAX_BYTES
from .attendance import AttendanceFileError, attendance_csv_decode
from .models import ExternalTraining


def _staff_by_number(number: str):
    profile = (
        StaffProfile.objects.filter(staff_number=number.strip())
        .select_related("user")
        .first()
    )
    if profile is None:
        raise forms.ValidationError(
            _("No member of staff has the staff number %(number)s."),
            params={"number": number},
        )
    return profile.user


class ExternalRecordForm(forms.Form):
    staff_number = forms.CharField(label=_("Staff number"), max_length=20)
    external_training = DatabaseIdModelChoiceField(
        label=_("External training or drill"),
        queryset=ExternalTraining.objects.all(),
    )
    completed_on = forms.DateField(label=_("Day attended"), widget=AdminDateInput)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_staff_number(self):
        number = self.cleaned_data["staff_number"]
        self.person = _staff_by_number(number)
        return number


class AttendanceImportForm(forms.Form):
    external_training = DatabaseIdModelChoiceField(
        label=_("External training or drill"),
        queryset=ExternalTraining.objects.all(),
    )
    file = forms.FileField(
        label=_("CSV of attendees"),
        required=False,
        help_text=_(
            "A header row naming 職員番号 (staff number) and 受講日 (day attended, "
            "YYYY-MM-DD), optionally 備考 (note); then one attendee a row. UTF-8 "
            "or Shift_JIS."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    # The checked file's text, carried from the dry run to "record".
    csv_text = forms.CharField(
        required=False, widget=forms.HiddenInput, max_length=CSV_MAX_BYTES
    )
    source = forms.CharField(required=False, widget=forms.HiddenInput, max_length=200)

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is not None:
            if upload.size > CSV_MAX_BYTES:
                raise forms.ValidationError(
                    _("The file is larger than %(limit)d KB."),
                    params={"limit": CSV_MAX_BYTES // 1024},
                )
            try:
                cleaned["text"] = attendance_csv_decode(upload.read())
            except AttendanceFileError as error:
                raise forms.ValidationError(str(error)) from error
            cleaned["source"] = Path(upload.name).name[:200]
        elif cleaned.get("csv_text"):
            cleaned["text"] = cleaned["csv_text"]
        else:
            raise forms.ValidationError(_("Choose the CSV file of attendees."))
        return cleaned


def _document_max_size() -> int:
    return getattr(settings, "GOFUN_DOCUMENT_MAX_UPLOAD_SIZE", 10 * 1024 * 1024)


class WaiverForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the requirement waived?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    evidence = forms.FileField(
        label=_("Evidence (optional)"),
        required=False,
        help_text=_(
            "A document supporting the waiver (a certificate from another "
            "course, say). It is kept where only training admins can open it."
        ),
    )

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if upload is None:
            return None
        extensions = getattr(settings, "WAGTAILDOCS_EXTENSIONS", None)
        suffix = Path(upload.name).suffix.lower().lstrip(".")
        if extensions and suffix not in extensions:
            raise forms.ValidationError(
                _("Use one of these file types: %(types)s."),
                params={"types": ", ".join(extensions)},
            )
        if upload.size > _document_max_size():
            raise forms.ValidationError(
                _("The file is larger than %(limit)d MB."),
                params={"limit": _document_max_size() // (1024 * 1024)},
            )
        return upload


class StaffSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, user name or staff number"), max_length=100, required=False
    )
