"""The reminder mail: subject, text and HTML parts rendered from templates,
always in Japanese, with the absolute link to マイ研修."""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext, ngettext

from .selectors import Digest, escalation_days

MAIL_LANGUAGE = "ja"
# マイ研修 is the first panel of the home page.
MY_TRAINING_ANCHOR = "#my-training-heading"


def my_training_url() -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/" + MY_TRAINING_ANCHOR


def message_id(*, mail_id: int, day: datetime.date) -> str:
    """The same for every attempt at one logged mail, so that a mail server
    or client that sees it twice can tell it is one message."""
    host = urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or "gofun.localhost"
    return f"<gofun-reminder-{mail_id}-{day:%Y%m%d}@{host}>"


def _subject(digest: Digest) -> str:
    own, team = len(digest.own), len(digest.team)
    if own and team:
        return gettext(
            "[Gofun] Your training (%(own)s) and overdue training in your "
            "division (%(team)s)"
        ) % {"own": own, "team": team}
    if team:
        return ngettext(
            "[Gofun] Overdue training in your division: %(count)s item",
            "[Gofun] Overdue training in your division: %(count)s items",
            team,
        ) % {"count": team}
    return ngettext(
        "[Gofun] %(count)s training item to complete",
        "[Gofun] %(count)s training items to complete",
        own,
    ) % {"count": own}


def digest_message(*, digest: Digest, today: datetime.date) -> EmailMultiAlternatives:
    """The mail for one digest, to the recipient's address, from
    DEFAULT_FROM_EMAIL (GOFUN_FROM_EMAIL)."""
    recipient = digest.recipient
    with translation.override(MAIL_LANGUAGE):
        context = {
            "name": recipient.get_full_name() or recipient.get_username(),
            "own": digest.own,
            "team": digest.team,
            "divisions": "、".join(digest.divisions),
            "escalation_days": escalation_days(),
            "my_training_url": my_training_url(),
            "site_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/",
            "today": today,
        }
        subject = _subject(digest)
        text = render_to_string("reminders/mail/digest.txt", context)
        html = render_to_string("reminders/mail/digest.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email.strip()],
        headers={
            # RFC 3834: no out-of-office replies to an automatic mail.
            "Auto-Submitted": "auto-generated",
            "X-Auto-Response-Suppress": "All",
        },
    )
    message.attach_alternative(html, "text/html")
    return message
