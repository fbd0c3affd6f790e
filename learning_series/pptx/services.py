"""Import a PowerPoint file as a draft lesson, and export a lesson to PowerPoint."""

from __future__ import annotations

import hashlib
import io
import logging
import os
from dataclasses import dataclass, field
from typing import IO

import willow
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.images import get_image_model
from wagtail.log_actions import log
from wagtail.models import Collection, Revision

from ..marp import Deck, Slide
from ..models import LessonPage, SeriesPage
from ..services import lesson_create_from_deck, lesson_slug_free
from .reader import ImportedDeck, read_presentation
from .safety import PptxLimits
from .writer import ExportSlide, write_presentation

logger = logging.getLogger("gofun.pptx")

IMPORT_LOG_ACTION = "gofun.lesson.import_pptx"
EXPORT_LOG_ACTION = "gofun.lesson.export_pptx"


class PptxStorageFailed(Exception):
    """The server could not store the presentation's pictures (a full or
    failing disk); nothing was created. The message is for the uploader."""


@dataclass
class PptxImport:
    lesson: LessonPage
    revision: Revision
    slide_count: int
    warnings: list[str] = field(default_factory=list)


def _save_image(*, picture, title: str, owner, collection, saved: list[str]):
    image = get_image_model()(
        title=title[:255],
        collection=collection,
        uploaded_by_user=owner,
    )
    field = image.file.field
    # The name is chosen, and kept for the clean-up, before the file is
    # written: a write that fails part-way (a full disk) leaves part of a
    # file under that name, and the failed import must remove it too.
    planned = field.storage.get_available_name(
        field.generate_filename(image, picture.filename)
    )
    saved.append(planned)
    image.file.save(os.path.basename(planned), ContentFile(picture.blob), save=False)
    if image.file.name != planned:  # taken meanwhile by another upload
        saved.append(image.file.name)
    # Saving the file clears the dimensions; they were read when it was checked.
    image.width, image.height = picture.width, picture.height
    try:
        image._set_image_file_metadata()
        image.save()
    finally:
        # Wagtail opens the file to hash it and leaves it open: a server
        # process would keep one descriptor per imported picture.
        image.file.close()
    return image


def _delete_files(names: list[str]) -> None:
    storage = get_image_model()._meta.get_field("file").storage
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            logger.exception(
                "Could not delete image file %s after a failed import", name
            )


def lesson_import_pptx(
    *,
    series: SeriesPage,
    file: IO[bytes],
    owner,
    filename: str = "",
    limits: PptxLimits | None = None,
) -> PptxImport:
    """Create a draft lesson under `series` from a PowerPoint file.

    Raises PptxRefused (a one-line reason for the uploader) for a file that
    is not a safe, readable presentation, PermissionDenied when `owner` may
    not add lessons to `series`, and PptxStorageFailed when the pictures
    cannot be stored (a full disk). Whatever fails, nothing is created: no
    page, revision or image row, and no file, whole or partial. The
    lesson is never published: it goes through the editorial workflow.
    """
    if not series.permissions_for_user(owner).can_add_subpage():
        raise PermissionDenied(
            _("You may not add lessons to the series “%(series)s”.")
            % {"series": series.title}
        )
    imported: ImportedDeck = read_presentation(file, limits=limits, filename=filename)
    saved_files: list[str] = []
    try:
        with transaction.atomic():
            collection = Collection.get_first_root_node()
            slides = []
            # A logo repeated on every slide becomes one image.
            images_by_digest = {}
            for number, slide in enumerate(imported.slides, 1):
                image = None
                if slide.picture is not None:
                    digest = hashlib.sha256(slide.picture.blob).hexdigest()
                    if digest not in images_by_digest:
                        images_by_digest[digest] = _save_image(
                            picture=slide.picture,
                            title=f"{imported.title} – {number}",
                            owner=owner,
                            collection=collection,
                            saved=saved_files,
                        )
                    image = images_by_digest[digest]
                slides.append(
                    Slide(
                        title=slide.title,
                        body=slide.body,
                        notes=slide.notes,
                        image=image,
                        image_alt=slide.picture.alt if slide.picture else "",
                    )
                )
            lesson, revision = lesson_create_from_deck(
                series=series,
                deck=Deck(title=imported.title, slides=slides),
                owner=owner,
                slug=lesson_slug_free(series=series, title=imported.title),
            )
            log(
                instance=lesson,
                action=IMPORT_LOG_ACTION,
                user=owner,
                revision=revision,
                data={
                    "filename": filename,
                    "slides": len(slides),
                    "warnings": len(imported.warnings),
                },
            )
    except OSError as error:
        # Only storage raises OSError here (the database raises its own
        # errors): a full or failing disk, ours to fix, not the uploader's.
        _delete_files(saved_files)
        logger.exception(
            "Could not store the pictures of %r imported by user %s into series %s",
            filename,
            getattr(owner, "pk", None),
            series.pk,
        )
        raise PptxStorageFailed(
            _(
                "The presentation could not be imported: the server has no room "
                "to store its pictures. Nothing was created. Please tell the "
                "site's administrators and try again later."
            )
        ) from error
    except BaseException:
        # The database rolls back on its own; files in storage do not.
        _delete_files(saved_files)
        raise
    return PptxImport(
        lesson=lesson,
        revision=revision,
        slide_count=len(imported.slides),
        warnings=imported.warnings,
    )


# What PowerPoint shows natively; other formats Wagtail accepts (WebP, AVIF,
# HEIC) are converted to PNG on the way out.
POWERPOINT_IMAGE_FORMATS = {"png", "jpeg", "gif"}


def _open_image(image) -> IO[bytes] | None:
    try:
        with image.open_file() as handle:
            data = handle.read()
        picture = willow.Image.open(io.BytesIO(data))
        if picture.format_name in POWERPOINT_IMAGE_FORMATS:
            return io.BytesIO(data)
        converted = io.BytesIO()
        picture.save_as_png(converted)
        return io.BytesIO(converted.getvalue())
    except (OSError, ValueError) as error:
        logger.warning("Image %s exported without its picture: %s", image.pk, error)
        return None


def lesson_export_pptx(*, lesson: LessonPage, user=None) -> bytes:
    """The lesson's latest revision as a .pptx file.

    The latest revision, not the live one, so that editors can take a draft
    to PowerPoint while reviewing it.
    """
    latest = lesson.get_latest_revision_as_object()
    slides = []
    for block in latest.slides:
        value = block.value
        image = value.get("image")
        slides.append(
            ExportSlide(
                title=value.get("title") or "",
                body=value.get("body") or "",
                notes=value.get("notes") or "",
                image=_open_image(image) if image is not None else None,
                image_alt=value.get("image_alt") or "",
            )
        )
    data = write_presentation(title=latest.title, slides=slides)
    if user is not None:
        log(instance=lesson, action=EXPORT_LOG_ACTION, user=user)
    return data
