"""Forms for what reaches analytics from outside: beacons and the dashboard's
date range. Numbers are read as short runs of ASCII digits within bounds, so
hostile input is a 400 or a message, never a 500."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.converters import MAX_ID
from cms.forms import DatabaseIdModelChoiceField
from learning_series.models import LessonPage, SeriesPage

from .services import ReadingProgress

_DIGITS = re.compile(r"\A[0-9]{1,19}\Z")
MAX_SLIDE = 32767
MAX_SECONDS = 24 * 60 * 60
# A range longer than this is a typo (or an attempt to make the page slow).
MAX_RANGE_DAYS = 10 * 366
DEFAULT_RANGE_DAYS = 365
EARLIEST_DAY = datetime.date(2000, 1, 1)
LATEST_DAY = datetime.date(2099, 12, 31)


class BoundedNumberField(forms.Field):
    """A whole number written in ASCII digits (at most 19), between two bounds."""

    def __init__(self, *, minimum: int, maximum: int, **kwargs):
        self.minimum, self.maximum = minimum, maximum
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if not isinstance(value, str) or not _DIGITS.match(value):
            raise forms.ValidationError(_("Enter a whole number."), code="invalid")
        number = int(value)
        if not self.minimum <= number <= self.maximum:
            raise forms.ValidationError(
                _("Enter a number from %(minimum)d to %(maximum)d."),
                code="out_of_range",
                params={"minimum": self.minimum, "maximum": self.maximum},
            )
        return number


class BeaconForm(forms.Form):
    """One report from the reader's beacon: which view, how far, how long."""

    view = forms.CharField(max_length=300)
    lesson = BoundedNumberField(minimum=1, maximum=MAX_ID)
    furthest = BoundedNumberField(minimum=1, maximum=MAX_SLIDE)
    through = BoundedNumberField(minimum=0, maximum=MAX_SLIDE)
    seconds = BoundedNumberField(minimum=0, maximum=MAX_SECONDS)

    def clean(self):
        data = super().clean()
        if (
            data.get("through") is not None
            and data.get("furthest") is not None
            and data["through"] > data["furthest"]
        ):
            raise forms.ValidationError(
                _("A reader cannot read through past the furthest slide."),
                code="inconsistent",
            )
        return data

    @property
    def progress(self) -> ReadingProgress:
        return ReadingProgress(
            furthest_slide=self.cleaned_data["furthest"],
            read_through_slide=self.cleaned_data["through"],
            seconds=self.cleaned_data["seconds"],
        )


class NeedsAnalysisForm(forms.Form):
    """The dashboard's (and needs_report's) range, and what to look into."""

    since = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    series = DatabaseIdModelChoiceField(
        label=_("Series (views over time)"),
        queryset=SeriesPage.objects.order_by("path"),
        required=False,
        empty_label=_("All series"),
    )
    lesson = DatabaseIdModelChoiceField(
        label=_("Lesson (drop-off by slide)"),
        queryset=LessonPage.objects.order_by("path"),
        required=False,
        empty_label=_("The most viewed lesson"),
    )

    def __init__(self, *args, today: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        for day in (data.get("since"), data.get("until")):
            if day is not None and not EARLIEST_DAY <= day <= LATEST_DAY:
                raise forms.ValidationError(
                    _("Choose dates from %(earliest)s to %(latest)s."),
                    code="out_of_range",
                    params={"earliest": EARLIEST_DAY, "latest": LATEST_DAY},
                )
        until = data.get("until") or self.today
        since = data.get("since") or until - datetime.timedelta(
            days=DEFAULT_RANGE_DAYS - 1
        )
        if since > until:
            raise forms.ValidationError(
                _("The start of the range is after its end."), code="reversed"
            )
        if (until - since).days >= MAX_RANGE_DAYS:
            raise forms.ValidationError(
                _("Choose a range of at most ten years."), code="too_long"
            )
        data["since"], data["until"] = since, until
        return data
