"""The search form: what the search page accepts from the query string."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from organisation.models import JobRole


class SearchForm(forms.Form):
    # Longer input is accepted and cut by search.analysis.parse_query, so a
    # long paste still searches for its beginning instead of failing.
    q = forms.CharField(label=_("Search lessons"), required=False, strip=True)
    series = forms.IntegerField(required=False, min_value=1)
    role = forms.SlugField(required=False, max_length=32)
    page = forms.IntegerField(required=False, min_value=1)

    def clean_role(self) -> str:
        role = self.cleaned_data.get("role") or ""
        if role and not JobRole.objects.filter(code=role).exists():
            return ""
        return role
