"""A full disk during a PowerPoint import: nothing half-made, a clear message.

The storage here writes for real into the test's media folder until the
room it was given is used up, then fails as a full disk does (ENOSPC),
leaving part of the file behind. The end-to-end test
(e2e/test_fault_full_disk.py) does the same on a real full filesystem.
"""

from __future__ import annotations

import errno
import io
import os
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pptx import Presentation
from pptx.util import Inches
from wagtail.images import get_image_model
from wagtail.models import Revision

from learning_series.models import LessonPage
from learning_series.pptx.services import PptxStorageFailed, lesson_import_pptx
from tests.factories import make_series
from tests.learning_series import pptx_builders as build

pytestmark = pytest.mark.django_db

FULL_DISK_MESSAGE = (
    "サーバーに画像を保存する空き容量がないため、取り込めませんでした。"
    "何も作成されていません。サイト管理者にお知らせのうえ、"
    "時間をおいてやり直してください。"
)


class DiskWithLittleRoom(FileSystemStorage):
    """A FileSystemStorage on a disk with `room` bytes free (shared by every
    instance): a write that does not fit writes what fits, then fails."""

    room = 0

    def _save(self, name, content):
        full_path = self.path(name)
        os.makedirs(os.path.dirname(full_path), exist_ok=True)
        data = b"".join(content.chunks())
        with open(full_path, "xb") as handle:
            fitting = data[: DiskWithLittleRoom.room]
            handle.write(fitting)
            DiskWithLittleRoom.room -= len(fitting)
            if len(fitting) < len(data):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), full_path)
        return name.replace("\\", "/")


def deck_with_two_pictures(path: Path) -> tuple[Path, list[bytes]]:
    """Two slides, each with its own picture (so two image files)."""
    pictures = [build.png_bytes("red", (60, 40)), build.png_bytes("blue", (50, 30))]
    presentation = Presentation()
    for number, picture in enumerate(pictures, 1):
        slide = presentation.slides.add_slide(presentation.slide_layouts[5])
        slide.shapes.title.text = f"画面の例 {number}"
        slide.shapes.add_picture(io.BytesIO(picture), Inches(1), Inches(2))
    return build.save(presentation, path), pictures


@pytest.fixture
def little_room(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": f"{__name__}.DiskWithLittleRoom",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    DiskWithLittleRoom.room = 0
    return tmp_path / "media"


def files_under(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()]


def assert_nothing_made(media: Path) -> None:
    assert not LessonPage.objects.exists()
    assert not Revision.objects.filter(
        base_content_type__model__in=["page", "lessonpage"]
    ).exists()
    assert not get_image_model().objects.exists()
    assert files_under(media) == []


def test_disk_full_on_the_first_picture_leaves_no_partial_file(
    little_room, author, tmp_path
):
    series = make_series(slug="full-disk")
    path, pictures = deck_with_two_pictures(tmp_path / "deck.pptx")
    DiskWithLittleRoom.room = len(pictures[0]) // 2

    with path.open("rb") as file, pytest.raises(PptxStorageFailed) as refused:
        lesson_import_pptx(series=series, file=file, owner=author)

    assert str(refused.value) == FULL_DISK_MESSAGE
    assert DiskWithLittleRoom.room == 0  # part of the picture was written
    assert_nothing_made(little_room)


def test_disk_full_on_the_second_picture_removes_the_first_too(
    little_room, author, tmp_path
):
    series = make_series(slug="full-disk")
    path, pictures = deck_with_two_pictures(tmp_path / "deck.pptx")
    DiskWithLittleRoom.room = len(pictures[0]) + 10

    with path.open("rb") as file, pytest.raises(PptxStorageFailed):
        lesson_import_pptx(series=series, file=file, owner=author)

    assert DiskWithLittleRoom.room == 0
    assert_nothing_made(little_room)


def test_import_succeeds_when_the_pictures_fit(little_room, author, tmp_path):
    series = make_series(slug="full-disk")
    path, pictures = deck_with_two_pictures(tmp_path / "deck.pptx")
    DiskWithLittleRoom.room = sum(len(picture) for picture in pictures) * 2

    with path.open("rb") as file:
        result = lesson_import_pptx(series=series, file=file, owner=author)

    assert result.slide_count == 2
    assert get_image_model().objects.count() == 2
    assert len(files_under(little_room)) == 2


def test_admin_upload_on_a_full_disk_says_so_in_japanese_and_creates_nothing(
    little_room, client, author, tmp_path
):
    series = make_series(slug="full-disk")
    path, _ = deck_with_two_pictures(tmp_path / "deck.pptx")
    client.force_login(author)

    response = client.post(
        reverse("learning_series_pptx_import"),
        {
            "series": series.pk,
            "file": SimpleUploadedFile("deck.pptx", path.read_bytes()),
        },
    )

    assert response.status_code == 200
    assert FULL_DISK_MESSAGE in response.content.decode()
    assert_nothing_made(little_room)


def open_files_under(folder: Path) -> list[str]:
    descriptors = Path("/proc/self/fd")
    targets = []
    for descriptor in descriptors.iterdir():
        try:
            targets.append(os.readlink(descriptor))
        except OSError:
            continue
    return [target for target in targets if target.startswith(str(folder))]


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
def test_import_leaves_no_picture_file_open(little_room, author, tmp_path):
    # A server process that kept each imported picture open would run out of
    # descriptors, and a full disk could not be unmounted or cleaned up.
    series = make_series(slug="full-disk")
    path, pictures = deck_with_two_pictures(tmp_path / "deck.pptx")
    DiskWithLittleRoom.room = sum(len(picture) for picture in pictures) * 2

    with path.open("rb") as file:
        lesson_import_pptx(series=series, file=file, owner=author)

    assert open_files_under(little_room) == []
