"""Bad and hostile PowerPoint files: a one-line message, exit status 2, nothing
created, and bounded memory in the real command."""

from __future__ import annotations

import shutil

import pytest
from django.db import DatabaseError
from django.test import override_settings
from wagtail.images import get_image_model

from learning_series.models import LessonPage
from learning_series.pptx import services as pptx_services
from tests.factories import make_series
from tests.learning_series import pptx_builders as build
from tests.learning_series.pptx_helpers import import_pptx, run_manage

MEMORY_LIMIT = 200 * 1024 * 1024
NOT_A_PRESENTATION = (
    "PowerPoint プレゼンテーション（.pptx）ではないか、ファイルが壊れています。"
)


def media_files(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.fixture
def manage(tmp_path):
    """run_manage, removing the child processes' media roots afterwards."""
    outcomes = []

    def run(*args: str):
        outcome = run_manage(*args, tmp_path=tmp_path)
        outcomes.append(outcome)
        return outcome

    yield run
    for outcome in outcomes:
        shutil.rmtree(outcome.media_root, ignore_errors=True)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(
    ("builder", "message"),
    [
        (build.zip_bomb_deck, "zip 爆弾"),
        (build.billion_laughs_deck, "文書型宣言（DOCTYPE）"),
        (build.external_entity_deck, "文書型宣言（DOCTYPE）"),
        (build.truncated_deck, NOT_A_PRESENTATION),
        (build.text_named_pptx, NOT_A_PRESENTATION),
    ],
    ids=["zip-bomb", "billion-laughs", "external-entity", "truncated", "text-file"],
)
def test_hostile_file_is_refused_by_the_command_in_bounded_memory(
    author, tmp_path, manage, builder, message
):
    make_series(slug="hostile")
    path = builder(tmp_path / "hostile.pptx")

    outcome = manage(
        "import_pptx",
        str(path),
        "--series",
        "hostile",
        "--owner",
        author.username,
        "--json",
    )

    assert outcome.status == 2
    assert outcome.stdout == ""
    assert len(outcome.stderr.strip().splitlines()) == 1, outcome.stderr
    assert message in outcome.stderr
    assert "Traceback" not in outcome.stderr
    assert outcome.peak_memory_bytes < MEMORY_LIMIT
    assert not LessonPage.objects.exists()
    assert not get_image_model().objects.exists()
    assert media_files(outcome.media_root) == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_good_file_is_imported_by_the_real_command(author, tmp_path, manage):
    make_series(slug="good")
    path = build.deck_with_pictures(tmp_path / "good.pptx")

    outcome = manage(
        "import_pptx",
        str(path),
        "--series",
        "good",
        "--owner",
        author.username,
        "--json",
    )

    assert outcome.status == 0, outcome.stderr
    assert outcome.json["lesson_id"] == LessonPage.objects.get().pk
    assert len(media_files(outcome.media_root)) == 1


@pytest.fixture
def series(db):
    return make_series(slug="refused")


@pytest.mark.parametrize(
    ("builder", "message"),
    [
        (build.legacy_ppt_named_pptx, "古い .ppt 形式"),
        (build.word_document_named_pptx, NOT_A_PRESENTATION),
        (build.deck_without_presentation_part, NOT_A_PRESENTATION),
        (build.corrupt_entry_deck, NOT_A_PRESENTATION),
    ],
    ids=["legacy-ppt", "word-document", "missing-part", "corrupt-entry"],
)
def test_bad_file_is_refused_in_one_line_and_creates_nothing(
    series, author, tmp_path, builder, message
):
    outcome = import_pptx(
        builder(tmp_path / "bad.pptx"), series="refused", owner=author.username
    )

    assert outcome.status == 2
    assert message in outcome.stderr
    assert "\n" not in outcome.stderr
    assert not LessonPage.objects.exists()


@override_settings(GOFUN_PPTX_MAX_SLIDES=3)
def test_too_many_slides_are_refused(series, author, tmp_path):
    outcome = import_pptx(
        build.deck_with_slides(tmp_path / "long.pptx", 4),
        series="refused",
        owner=author.username,
    )

    assert outcome.status == 2
    assert outcome.stderr == "スライドが多すぎます（4 枚。上限 3 枚）。"
    assert not LessonPage.objects.exists()


@override_settings(GOFUN_PPTX_MAX_UPLOAD_SIZE=10_000)
def test_file_over_the_upload_limit_is_refused(series, author, tmp_path):
    outcome = import_pptx(
        build.deck_with_slides(tmp_path / "big.pptx", 1),
        series="refused",
        owner=author.username,
    )

    assert outcome.status == 2
    assert outcome.stderr.startswith("ファイルが大きすぎます")


@override_settings(GOFUN_PPTX_MAX_ENTRIES=10)
def test_file_with_too_many_entries_is_refused(series, author, tmp_path):
    outcome = import_pptx(
        build.deck_with_slides(tmp_path / "parts.pptx", 1),
        series="refused",
        owner=author.username,
    )

    assert outcome.status == 2
    assert outcome.stderr.startswith("ファイルの構成部品が多すぎます")


def test_tightly_compressed_part_is_refused_under_the_size_limit(
    series, author, tmp_path
):
    path = build.zip_bomb_deck(tmp_path / "small-bomb.pptx", size=50 * 1024 * 1024)

    outcome = import_pptx(path, series="refused", owner=author.username)

    assert outcome.status == 2
    assert "zip 爆弾" in outcome.stderr


def test_doctype_in_utf16_part_is_refused(series, author, tmp_path):
    xml = (
        '<?xml version="1.0" encoding="UTF-16"?>\n'
        '<!DOCTYPE p:sld [<!ENTITY x "x">]>' + build.SLIDE_XML_TAIL.format(text="&x;")
    )
    path = build.rewrite_deck(
        tmp_path / "utf16.pptx", {build.SLIDE: xml.encode("utf-16")}
    )

    outcome = import_pptx(path, series="refused", owner=author.username)

    assert outcome.status == 2
    assert "DOCTYPE" in outcome.stderr


def test_failure_after_images_were_saved_leaves_no_image_behind(
    series, author, tmp_path, monkeypatch, settings
):
    def database_fails(*args, **kwargs):
        raise DatabaseError("database is locked")

    # The audit log write is the last one of the import; fail it as the
    # database would.
    monkeypatch.setattr(pptx_services, "log", database_fails)
    path = build.deck_with_pictures(tmp_path / "pictures.pptx")
    before = set(media_files(settings.MEDIA_ROOT))

    with pytest.raises(DatabaseError):
        import_pptx(path, series="refused", owner=author.username)

    assert not LessonPage.objects.exists()
    assert not get_image_model().objects.exists()
    assert set(media_files(settings.MEDIA_ROOT)) == before


@override_settings(GOFUN_PPTX_MAX_UNCOMPRESSED_SIZE=60_000)
def test_file_over_the_unpacked_size_limit_is_refused(series, author, tmp_path):
    outcome = import_pptx(
        build.deck_with_slides(tmp_path / "unpacked.pptx", 1),
        series="refused",
        owner=author.username,
    )

    assert outcome.status == 2
    assert outcome.stderr.startswith("展開後のサイズが大きすぎます")
    assert outcome.stderr.endswith("上限 58.6\xa0KB）。")


@override_settings(GOFUN_PPTX_MAX_XML_SIZE=50_000)
def test_file_over_the_xml_size_limit_is_refused(series, author, tmp_path):
    outcome = import_pptx(
        build.deck_with_slides(tmp_path / "xml.pptx", 1),
        series="refused",
        owner=author.username,
    )

    assert outcome.status == 2
    assert outcome.stderr.startswith("展開後のサイズが大きすぎます")
    assert outcome.stderr.endswith("上限 48.8\xa0KB）。")


@override_settings(GOFUN_PPTX_MAX_TEXT_SIZE=40)
def test_presentation_with_more_text_than_a_lesson_is_refused(series, author, tmp_path):
    outcome = import_pptx(
        build.deck_with_slides(tmp_path / "wordy.pptx", 3),
        series="refused",
        owner=author.username,
    )

    assert outcome.status == 2
    assert outcome.stderr == "文章が多すぎて教材にできません（上限 40\xa0バイト）。"
    assert not LessonPage.objects.exists()
