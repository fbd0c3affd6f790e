"""The admin form for importing a PowerPoint file."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cms.forms import DatabaseIdModelChoiceField

from ..models import SeriesPage


def series_open_to(user) -> list[SeriesPage]:
    """The series under which `user` may add lessons, in tree order."""
    return [
        series
        for series in SeriesPage.objects.order_by("path")
        if series.permissions_for_user(user).can_add_subpage()
    ]


class PptxImportForm(forms.Form):
    series = DatabaseIdModelChoiceField(
        queryset=SeriesPage.objects.none(),
        label=_("Series"),
        help_text=_("The lesson is added to this series as a draft."),
    )
    file = forms.FileField(
        label=_("PowerPoint file (.pptx)"),
        help_text=_(
            "Each slide becomes a slide of the lesson: title, text, tables, the "
            "first picture and speaker notes."
        ),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".pptx,application/vnd.openxmlformats-officedocument"
                ".presentationml.presentation"
            }
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = series_open_to(user)
        self.fields["series"].queryset = SeriesPage.objects.filter(
            pk__in=[series.pk for series in allowed]
        ).order_by("path")
