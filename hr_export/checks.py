"""System checks: the LRS settings make sense before the first push fails."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, register


@register()
def lrs_settings_check(app_configs=None, **kwargs) -> list[Error]:
    url = settings.GOFUN_LRS_URL
    if not url:
        return []
    errors = []
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        errors.append(
            Error(
                f"GOFUN_LRS_URL must be the LRS's http(s) xAPI endpoint, not {url!r}.",
                id="hr_export.E001",
            )
        )
    if bool(settings.GOFUN_LRS_USERNAME) != bool(settings.GOFUN_LRS_PASSWORD):
        errors.append(
            Error(
                "Set both GOFUN_LRS_USERNAME and GOFUN_LRS_PASSWORD, or neither.",
                id="hr_export.E002",
            )
        )
    if settings.GOFUN_LRS_BATCH_SIZE < 1:
        errors.append(
            Error("GOFUN_LRS_BATCH_SIZE must be 1 or more.", id="hr_export.E003")
        )
    return errors
