"""Wagtail messages that its Japanese catalogue lacks, translated in ours.

Listing them here lets `make messages` extract them into locale/ja; the
project catalogue takes precedence over Wagtail's own.
"""

from django.utils.translation import gettext_noop

MISSING_FROM_WAGTAIL = [
    gettext_noop("You do not have permission to access the admin."),
]
