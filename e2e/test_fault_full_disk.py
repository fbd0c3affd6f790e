"""Fault: the disk holding the media fills up during a PowerPoint import.

A small tmpfs is mounted over the stack's original_images folder (where
Wagtail writes an imported picture) and filled until a few kilobytes are
left; the author then imports, through the proxy and the admin, a deck whose
picture does not fit. The import must leave nothing half-made (no page, no
revision, no image or document row, no file, whole or partial) and tell the
author in Japanese. With the room freed, the same deck imports, so it was the
disk that refused it.

Mounting needs root (CAP_SYS_ADMIN); where it is impossible the test says so
and skips. The same behaviour is proven without a mount in the normal suite:
tests/learning_series/test_pptx_storage_full.py (a storage that fails with
ENOSPC part-way through a file).
"""

from __future__ import annotations

import io
import os
import re
import subprocess
from html import unescape
from pathlib import Path

import pytest
import requests

from e2e.stack import Stack

FULL_DISK_MESSAGE = (
    "サーバーに画像を保存する空き容量がないため、取り込めませんでした。"
    "何も作成されていません。"
)
TMPFS_SIZE = "512k"
# Left free after the filler: less than the picture, more than nothing.
ROOM_LEFT = 8 * 1024
DECK_TITLE = "容量不足の日の取り込み"
IMPORT_PATH = "/admin/lessons/import-pptx/"
DEMO_PASSWORD = "gofun-demo"  # noqa: S105 -- the demo's published password

_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_SERIES_OPTION = re.compile(r'<option value="(\d+)"')


def noisy_png(size: tuple[int, int] = (200, 200)) -> bytes:
    """A PNG that does not compress (about 120 KB): random pixels."""
    from PIL import Image

    image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def deck_bytes(picture: bytes) -> bytes:
    from pptx import Presentation
    from pptx.util import Inches

    presentation = Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[5])
    slide.shapes.title.text = DECK_TITLE
    slide.shapes.add_picture(io.BytesIO(picture), Inches(1), Inches(2))
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()


def counts(stack: Stack) -> dict[str, int]:
    return {
        table: stack.sql(f"SELECT count(*) FROM {table}")[0][0]  # noqa: S608
        for table in (
            "wagtailcore_page",
            "wagtailcore_revision",
            "wagtailimages_image",
            "wagtaildocs_document",
        )
    }


def files_under(folder: Path) -> set[str]:
    return {
        str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file()
    }


@pytest.fixture
def small_full_disk(stack: Stack):
    """The original_images folder on a tmpfs of TMPFS_SIZE, filled to
    ROOM_LEFT; yields (folder, filler); unmounted afterwards."""
    folder = Path(stack.env["GOFUN_MEDIA_ROOT"]) / "original_images"
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        pytest.skip(
            "mounting a small tmpfs over the media folder needs root; the same "
            "behaviour is proven by tests/learning_series/test_pptx_storage_full.py"
        )
    mounted = subprocess.run(  # noqa: S603
        ["mount", "-t", "tmpfs", "-o", f"size={TMPFS_SIZE}", "tmpfs", str(folder)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(
            f"cannot mount a tmpfs here ({mounted.stderr.strip()}); the same "
            "behaviour is proven by tests/learning_series/test_pptx_storage_full.py"
        )
    try:
        filler = folder / "filler.bin"
        free = os.statvfs(folder).f_bavail * os.statvfs(folder).f_frsize
        filler.write_bytes(b"\0" * (free - ROOM_LEFT))
        yield folder, filler
    finally:
        unmounted = subprocess.run(  # noqa: S603
            ["umount", str(folder)],  # noqa: S607
            capture_output=True,
            text=True,
            check=False,
        )
        if unmounted.returncode != 0:
            # Detach it all the same, so the stack goes on; but a server
            # process still holding a file there is a leak worth failing on.
            subprocess.run(["umount", "-l", str(folder)], check=False)  # noqa: S603, S607
            pytest.fail(f"the media folder stayed busy: {unmounted.stderr.strip()}")


def sign_in(stack: Stack, username: str) -> requests.Session:
    browser = requests.Session()
    page = browser.get(f"{stack.url}/accounts/login/", timeout=30)
    token = unescape(_CSRF.search(page.text).group(1))
    answer = browser.post(
        f"{stack.url}/accounts/login/",
        data={
            "csrfmiddlewaretoken": token,
            "username": username,
            "password": DEMO_PASSWORD,
        },
        allow_redirects=False,
        timeout=30,
    )
    assert answer.status_code == 302, answer.text[-2000:]
    return browser


def post_import(stack: Stack, browser: requests.Session, deck: bytes):
    form = browser.get(f"{stack.url}{IMPORT_PATH}", timeout=30)
    assert form.status_code == 200
    return browser.post(
        f"{stack.url}{IMPORT_PATH}",
        data={
            "csrfmiddlewaretoken": unescape(_CSRF.search(form.text).group(1)),
            "series": _SERIES_OPTION.search(form.text).group(1),
        },
        files={
            "file": (
                "容量不足.pptx",
                deck,
                "application/vnd.openxmlformats-officedocument."
                "presentationml.presentation",
            )
        },
        allow_redirects=False,
        timeout=120,
    )


def remove_lesson(stack: Stack, title: str) -> None:
    """The draft the successful import made, and its picture, so the journeys
    that follow see the demo as it was."""
    stack.manage(
        "shell",
        "-c",
        "from learning_series.models import LessonPage\n"
        "from wagtail.images import get_image_model\n"
        f"LessonPage.objects.filter(title={title!r}).delete()\n"
        f"get_image_model().objects.filter(title__startswith={title!r}).delete()\n",
    )


def test_full_disk_during_pptx_import_makes_nothing_and_says_so(
    stack: Stack, small_full_disk
):
    folder, filler = small_full_disk
    deck = deck_bytes(noisy_png())
    author = sign_in(stack, "author")
    before = counts(stack)
    files_before = files_under(folder)

    refused = post_import(stack, author, deck)

    assert refused.status_code == 200
    assert FULL_DISK_MESSAGE in refused.text
    assert counts(stack) == before
    assert (
        stack.sql("SELECT count(*) FROM wagtailcore_page WHERE title = %s", DECK_TITLE)[
            0
        ][0]
        == 0
    )
    assert files_under(folder) == files_before  # no partial picture left

    # With room again, the same deck imports: the disk was what refused it.
    filler.unlink()
    try:
        imported = post_import(stack, author, deck)
        assert imported.status_code == 302
        assert "/admin/pages/" in imported.headers["Location"]
        after = counts(stack)
        assert after["wagtailimages_image"] == before["wagtailimages_image"] + 1
        assert len(files_under(folder)) == len(
            files_before
        )  # the picture, not the filler
    finally:
        remove_lesson(stack, DECK_TITLE)
