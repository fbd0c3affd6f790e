"""Admin viewsets shared by the apps above cms."""

from __future__ import annotations

from django.urls import path
from wagtail.admin.viewsets.model import ModelViewSet


class ReadOnlyModelViewSet(ModelViewSet):
    """A model viewset that lists and inspects rows and nothing else: the add,
    edit and delete views are not routed at all (for records that are only
    ever written by the site itself, such as the ledger or the mail log)."""

    inspect_view_enabled = True

    def get_urlpatterns(self):
        conv = self.pk_path_converter
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path(f"inspect/<{conv}:pk>/", self.inspect_view, name="inspect"),
        ]
