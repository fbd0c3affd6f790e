"""The Japanese catalogue is complete and its compiled form is up to date."""

import gettext

import polib
from django.conf import settings

CATALOGUE = settings.BASE_DIR / "locale" / "ja" / "LC_MESSAGES"


def entries():
    return list(polib.pofile(str(CATALOGUE / "django.po")))


def test_every_message_has_a_japanese_translation():
    untranslated = [
        entry.msgid
        for entry in entries()
        if "fuzzy" in entry.flags
        or not (entry.msgstr or all(entry.msgstr_plural.values()))
    ]

    assert untranslated == []


def test_compiled_catalogue_matches_the_source():
    with open(CATALOGUE / "django.mo", "rb") as compiled:
        translations = gettext.GNUTranslations(compiled)

    stale = []
    for entry in entries():
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
