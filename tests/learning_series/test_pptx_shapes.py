"""Every shape kind python-pptx returns is read; our faults are not the file's."""

from __future__ import annotations

import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from learning_series.models import LessonPage
from learning_series.pptx import reader
from learning_series.pptx.reader import PptxReadFailed, read_presentation
from learning_series.pptx.safety import PptxRefused
from tests.factories import make_series
from tests.learning_series import pptx_builders as build

DAMAGED = "PowerPoint プレゼンテーション（.pptx）ではないか、ファイルが壊れています。"


def test_picture_in_the_title_placeholder_is_read_as_the_slide_picture(tmp_path):
    path = build.deck_with_picture_in_title(tmp_path / "title-picture.pptx")

    with path.open("rb") as file:
        deck = read_presentation(file, filename="title-picture.pptx")

    assert len(deck.slides) == 3
    first = deck.slides[0]
    assert first.picture is not None
    assert first.picture.alt == "ロゴ1"
    assert "本文1" in first.body
    assert "グループ1" in first.body
    assert first.title == "Slide 1" or first.title == "スライド 1"


@pytest.mark.django_db
def test_deck_with_picture_titles_imports_through_the_admin(client, author, tmp_path):
    series = make_series(slug="title-pictures")
    path = build.deck_with_picture_in_title(tmp_path / "deck.pptx")
    client.force_login(author)

    response = client.post(
        reverse("learning_series_pptx_import"),
        {
            "series": series.pk,
            "file": SimpleUploadedFile("deck.pptx", path.read_bytes()),
        },
    )

    assert response.status_code == 302
    lesson = LessonPage.objects.get()
    assert len(lesson.slides) == 3
    assert lesson.slides[0].value["image"] is not None


def test_a_fault_of_ours_is_logged_and_not_blamed_on_the_file(
    tmp_path, monkeypatch, caplog
):
    path = build.deck_with_slides(tmp_path / "fine.pptx", 2)

    def broken(self, shape):
        raise AttributeError("'Shape' object has no attribute 'oops'")

    monkeypatch.setattr(reader._SlideReader, "_read_shape", broken)
    with (
        caplog.at_level(logging.ERROR, logger="gofun.pptx"),
        path.open("rb") as file,
        pytest.raises(PptxReadFailed) as raised,
    ):
        read_presentation(file)

    assert not isinstance(raised.value, PptxRefused)
    assert "壊れて" not in str(raised.value)
    assert any(
        record.exc_info and record.exc_info[0] is AttributeError
        for record in caplog.records
    )


@pytest.mark.django_db
def test_admin_answers_a_fault_of_ours_as_ours(client, author, tmp_path, monkeypatch):
    series = make_series(slug="our-fault")
    path = build.deck_with_slides(tmp_path / "fine.pptx", 1)

    def broken(self, shape):
        raise TypeError("ours")

    monkeypatch.setattr(reader._SlideReader, "_read_shape", broken)
    client.force_login(author)
    response = client.post(
        reverse("learning_series_pptx_import"),
        {
            "series": series.pk,
            "file": SimpleUploadedFile("fine.pptx", path.read_bytes()),
        },
    )

    assert response.status_code == 200
    assert DAMAGED not in response.text
    assert "Gofun" in response.text
    assert not LessonPage.objects.exists()


@pytest.mark.django_db
def test_command_answers_a_fault_of_ours_with_status_1(author, tmp_path, monkeypatch):
    series = make_series(slug="our-fault-cli")
    path = build.deck_with_slides(tmp_path / "fine.pptx", 1)
    monkeypatch.setattr(
        reader._SlideReader,
        "_read_shape",
        lambda self, shape: (_ for _ in ()).throw(TypeError("ours")),
    )

    with pytest.raises(CommandError) as raised:
        call_command(
            "import_pptx", str(path), series=series.slug, owner=author.username
        )

    assert raised.value.returncode == 1
    assert DAMAGED not in str(raised.value)


def test_a_damaged_part_is_still_refused_as_the_files_fault(tmp_path, monkeypatch):
    path = build.deck_with_slides(tmp_path / "fine.pptx", 1)

    def missing_part(self, shape):
        raise KeyError("rId9")

    monkeypatch.setattr(reader._SlideReader, "_read_shape", missing_part)
    with path.open("rb") as file, pytest.raises(PptxRefused):
        read_presentation(file)
