"""Filters of the compliance reports: division, post, job role, curriculum.

The filters only validate what the report was asked for; the reports hand
the values to the selectors in training.compliance, which hold the rules
(a job role filter means the role held today, say). Ids are read as short
runs of digits, so a bad value is "not a valid choice", never a 500.
"""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from cms.forms import DatabaseIdModelChoiceField
from organisation.models import Division, JobRole, Post, StaffProfile

from .compliance import BREAKDOWNS
from .models import Curriculum


class IdModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = DatabaseIdModelChoiceField


def _unfiltered(queryset, name, value):
    return queryset


def _published_curricula(request):
    return Curriculum.objects.filter(live=True)


class _ValuesMixin:
    def value(self, name: str):
        """The valid value of a filter, or None."""
        if not self.is_valid():
            return None
        return self.form.cleaned_data.get(name)


class StaffFilterSet(_ValuesMixin, WagtailFilterSet):
    division = IdModelChoiceFilter(
        queryset=Division.objects.all(), label=_("Division"), method=_unfiltered
    )
    post = IdModelChoiceFilter(
        queryset=Post.objects.all(), label=_("Post"), method=_unfiltered
    )
    role = IdModelChoiceFilter(
        queryset=JobRole.objects.all(), label=_("Job role"), method=_unfiltered
    )

    class Meta:
        model = StaffProfile
        fields: list[str] = []


class CurriculumStaffFilterSet(StaffFilterSet):
    curriculum = IdModelChoiceFilter(
        queryset=_published_curricula, label=_("Curriculum"), method=_unfiltered
    )


class RateFilterSet(_ValuesMixin, WagtailFilterSet):
    breakdown = django_filters.ChoiceFilter(
        choices=list(BREAKDOWNS.items()),
        label=_("Breakdown by"),
        empty_label=None,
        method=_unfiltered,
    )
    curriculum = IdModelChoiceFilter(
        queryset=_published_curricula, label=_("Curriculum"), method=_unfiltered
    )

    class Meta:
        model = StaffProfile
        fields: list[str] = []
