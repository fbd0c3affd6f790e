"""Certificates on a person's records: the learner's 「修了記録」 page and a
training admin's page of that person (training's RECORD_PANELS)."""

from __future__ import annotations

from wagtail import hooks

from cms.extension_points import TemplatePanel
from training.extension_points import RECORD_PANELS

from .selectors import certificates_offered


@hooks.register(RECORD_PANELS)
def register_certificates_panel(request, *, person, training, admin):
    return TemplatePanel(
        "certificates/includes/offers_admin.html"
        if admin
        else "certificates/includes/offers.html",
        offers=certificates_offered(person=person, training=training),
    )
