"""The verification URL of a certificate and its QR code, drawn on the
server as inline SVG (segno): no script, nothing fetched, and the site's
Content-Security-Policy (no inline script or style) lets it through."""

from __future__ import annotations

import segno
from django.conf import settings
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import Certificate


def verification_url(certificate: Certificate) -> str:
    """Absolute, from WAGTAILADMIN_BASE_URL: the paper leaves the site."""
    path = reverse("certificates:verify", kwargs={"code": certificate.code})
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def qr_svg(url: str, *, label: str) -> SafeString:
    """A QR code of `url` as an <svg> element named `label` for screen readers."""
    svg = segno.make(url, error="m", micro=False).svg_inline(
        scale=1, border=4, omitsize=True, svgclass="certificate__qr", lineclass=None
    )
    named = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)
    return mark_safe(named)  # noqa: S308 -- segno's own markup, the label escaped
