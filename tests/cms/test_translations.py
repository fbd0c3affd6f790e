"""Every Japanese catalogue is complete and its compiled form is up to date.

The project's catalogue lives in locale/; apps added later keep their own in
<app>/locale/ (makemessages puts each app's strings there).
"""

import gettext

import polib
import pytest
from django.conf import settings

CATALOGUES = sorted(
    path.parent
    for path in settings.BASE_DIR.glob("*/locale/ja/LC_MESSAGES/django.po")
    if not path.is_relative_to(settings.BASE_DIR / ".venv")
) + [settings.BASE_DIR / "locale" / "ja" / "LC_MESSAGES"]


def catalogue_id(path) -> str:
    return str(path.relative_to(settings.BASE_DIR))


def entries(catalogue):
    return list(polib.pofile(str(catalogue / "django.po")))


def test_the_apps_keep_their_own_catalogues():
    names = {catalogue_id(path).split("/")[0] for path in CATALOGUES}

    assert {"locale", "organisation", "training", "analytics"} <= names


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=catalogue_id)
def test_every_message_has_a_japanese_translation(catalogue):
    untranslated = [
        entry.msgid
        for entry in entries(catalogue)
        if "fuzzy" in entry.flags
        or not (entry.msgstr or all(entry.msgstr_plural.values()))
    ]

    assert untranslated == []


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=catalogue_id)
def test_compiled_catalogue_matches_the_source(catalogue):
    with open(catalogue / "django.mo", "rb") as compiled:
        translations = gettext.GNUTranslations(compiled)

    stale = []
    for entry in entries(catalogue):
        if entry.msgid_plural:
            compiled_text = translations.ngettext(entry.msgid, entry.msgid_plural, 1)
            expected = entry.msgstr_plural[0]
        elif entry.msgctxt:
            compiled_text = translations.pgettext(entry.msgctxt, entry.msgid)
            expected = entry.msgstr
        else:
            compiled_text = translations.gettext(entry.msgid)
            expected = entry.msgstr
        if compiled_text != expected:
            stale.append(entry.msgid)

    assert stale == []
