"""The Japanese catalogues are complete, compiled, and use one word for one thing."""

import gettext
import re
from pathlib import Path

import polib
import pytest
import wagtail
from django.conf import settings

PROJECT_CATALOGUES = sorted(
    path
    for locale_dir in settings.LOCALE_PATHS
    for path in Path(locale_dir).glob("ja/LC_MESSAGES/*.po")
) + sorted(
    # An app's own catalogue (<app>/locale/ja/LC_MESSAGES/), as new apps keep.
    path
    for path in settings.BASE_DIR.glob("*/locale/ja/LC_MESSAGES/*.po")
    if ".venv" not in path.parts
)
WAGTAIL_DIR = Path(wagtail.__file__).parent
# The Wagtail apps Gofun installs, and taggit, whose messages the admin shows.
WAGTAIL_APPS = [
    WAGTAIL_DIR,
    WAGTAIL_DIR / "admin",
    WAGTAIL_DIR / "users",
    WAGTAIL_DIR / "snippets",
    WAGTAIL_DIR / "documents",
    WAGTAIL_DIR / "images",
    WAGTAIL_DIR / "search",
    WAGTAIL_DIR / "sites",
    WAGTAIL_DIR / "contrib" / "redirects",
]
# Gofun's glossary (README, "Glossary"): what each term replaces.
NOT_OUR_WORDS = {
    "レッスン": "教材",
    "話者ノート": "発表者ノート",
    "スピーカーノート": "発表者ノート",
    "承認申請": "編集審査に提出",
    "調整のために": "編集審査に",
    "モデレーション": "編集審査",
    "承認を受ける": "編集審査に提出",
    "拒否": "差し戻し",
    "却下": "差し戻し",
    "ユーザ(?!ー)": "ユーザー",
    "(?<!プ)レビュー": "審査",
}


def translated(entry: polib.POEntry) -> bool:
    return "fuzzy" not in entry.flags and bool(
        entry.msgstr or (entry.msgstr_plural and all(entry.msgstr_plural.values()))
    )


def test_the_project_has_its_catalogues():
    names = {(path.parent.parent.parent.name, path.name) for path in PROJECT_CATALOGUES}

    assert ("locale", "django.po") in names
    assert ("locale_wagtail", "django.po") in names
    assert ("locale_wagtail", "djangojs.po") in names


def test_certificates_and_reminders_keep_their_own_catalogues():
    apps = {path.relative_to(settings.BASE_DIR).parts[0] for path in PROJECT_CATALOGUES}

    assert {"certificates", "reminders"} <= apps


@pytest.mark.parametrize("catalogue", PROJECT_CATALOGUES, ids=str)
def test_every_message_has_a_japanese_translation(catalogue):
    untranslated = [e.msgid for e in polib.pofile(str(catalogue)) if not translated(e)]

    assert untranslated == []


@pytest.mark.parametrize("catalogue", PROJECT_CATALOGUES, ids=str)
def test_compiled_catalogue_matches_the_source(catalogue):
    with open(catalogue.with_suffix(".mo"), "rb") as compiled:
        translations = gettext.GNUTranslations(compiled)

    stale = []
    for entry in polib.pofile(str(catalogue)):
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


def _keys(paths) -> set[tuple[str | None, str]]:
    keys = set()
    for path in paths:
        if path.exists():
            keys |= {
                (e.msgctxt, e.msgid) for e in polib.pofile(str(path)) if translated(e)
            }
    return keys


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_every_wagtail_message_the_admin_can_show_is_japanese(domain):
    ours = _keys(
        Path(locale_dir) / "ja" / "LC_MESSAGES" / f"{domain}.po"
        for locale_dir in settings.LOCALE_PATHS
    )
    missing = []
    for app in WAGTAIL_APPS:
        source = app / "locale" / "en" / "LC_MESSAGES" / f"{domain}.po"
        if not source.exists():
            continue
        wagtails = _keys([app / "locale" / "ja" / "LC_MESSAGES" / f"{domain}.po"])
        missing += [
            entry.msgid
            for entry in polib.pofile(str(source))
            if not entry.obsolete
            and (entry.msgctxt, entry.msgid) not in wagtails | ours
        ]

    # After a Wagtail upgrade, translate these in locale_wagtail/.
    assert missing == []


def _effective_japanese(domain: str):
    """Every Japanese text Django would show, after precedence: ours win."""
    sources = [
        app / "locale" / "ja" / "LC_MESSAGES" / f"{domain}.po" for app in WAGTAIL_APPS
    ]
    sources += [
        Path(locale_dir) / "ja" / "LC_MESSAGES" / f"{domain}.po"
        for locale_dir in reversed(settings.LOCALE_PATHS)
    ]
    texts: dict[tuple[str | None, str], str] = {}
    for path in sources:
        if path.exists():
            for entry in polib.pofile(str(path)):
                if translated(entry):
                    texts[(entry.msgctxt, entry.msgid)] = entry.msgstr or "".join(
                        entry.msgstr_plural.values()
                    )
    return texts


@pytest.mark.parametrize("domain", ["django", "djangojs"])
@pytest.mark.parametrize("word", sorted(NOT_OUR_WORDS))
def test_the_interface_uses_the_glossarys_word(domain, word):
    offending = [
        (msgid, text)
        for (_, msgid), text in _effective_japanese(domain).items()
        if re.search(word, text)
    ]

    assert offending == [], f"use {NOT_OUR_WORDS[word]}"


def test_submitted_for_moderation_says_editorial_review():
    from django.utils import translation

    with translation.override("ja"):
        text = translation.gettext(
            "Page '%(page_title)s' has been submitted for moderation."
        )

    assert text == "ページ「%(page_title)s」を編集審査に提出しました。"


def test_the_apps_keep_their_own_catalogues():
    apps = {path.relative_to(settings.BASE_DIR).parts[0] for path in PROJECT_CATALOGUES}

    assert {
        "locale",
        "locale_wagtail",
        "organisation",
        "training",
        "analytics",
        "hr_export",
    } <= apps
