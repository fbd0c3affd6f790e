"""Read a .pptx into slides: titles, Markdown bodies, notes and pictures.

Only files that passed `safety.check_presentation_archive` reach python-pptx.
Every shape kind python-pptx returns is read: text in any shape or
placeholder, pictures (a picture placeholder, even the title's), tables in
graphic frames, groups flattened; what cannot become editable text or an
image (charts, SmartArt, media, OLE objects, ink) is left out with a warning
naming the slide, and what carries nothing (connectors, empty shapes) is
passed over.

Faults are told apart: a damaged file (what python-pptx's readers raise on
bad parts or XML) is refused with PptxRefused; any other exception is a
fault of ours, logged with its traceback and raised as PptxReadFailed, whose
message says so instead of blaming the person's file.
"""

from __future__ import annotations

import logging
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from lxml import etree
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE, PP_PLACEHOLDER
from pptx.exc import PythonPptxError
from pptx.oxml.ns import qn
from pptx.shapes.base import BaseShape
from pptx.shapes.graphfrm import GraphicFrame
from pptx.shapes.group import GroupShape
from pptx.shapes.picture import Movie, Picture
from pptx.text.text import TextFrame, _Run
from wagtail.images.fields import WagtailImageField

from .markdown_text import (
    Paragraph,
    Span,
    Table,
    blocks_to_markdown,
    spans_to_markdown,
)
from .safety import (
    PptxLimits,
    PptxRefused,
    check_presentation_archive,
    check_slide_count,
    check_text_size,
)

logger = logging.getLogger("gofun.pptx")

TITLE_MAX_LENGTH = 200
ALT_MAX_LENGTH = 300
SMARTART_URI = "http://schemas.openxmlformats.org/drawingml/2006/diagram"
ALTERNATE_CONTENT = (
    "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent"
)
MEDIA_TAGS = ("a:audioFile", "a:videoFile", "a:wavAudioFile", "a:quickTimeFile")
BOILERPLATE_PLACEHOLDERS = {
    PP_PLACEHOLDER.DATE,
    PP_PLACEHOLDER.FOOTER,
    PP_PLACEHOLDER.SLIDE_NUMBER,
    PP_PLACEHOLDER.HEADER,
}
BULLETED_PLACEHOLDERS = {PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT}
# Document titles that PowerPoint and python-pptx templates leave behind;
# the first slide's title says more.
GENERIC_TITLES = {
    "presentation",
    "powerpoint presentation",
    "プレゼンテーション",
    "powerpoint プレゼンテーション",
}


# What python-pptx and its zip and XML readers raise for a damaged part: the
# file's fault. Anything else (AttributeError, TypeError, ...) is ours.
FILE_FAULTS = (
    KeyError,
    ValueError,
    UnicodeError,
    PythonPptxError,
    etree.LxmlError,
    zipfile.BadZipFile,
    EOFError,
)
DAMAGED = gettext_noop(
    "The file is not a PowerPoint presentation (.pptx) or it is damaged."
)


class PptxReadFailed(Exception):
    """A fault of ours while reading a file that may well be fine; logged."""

    def __init__(self, message: str | None = None):
        super().__init__(
            message
            or _(
                "The import failed because of a fault in Gofun, not in your file. "
                "It has been logged; please tell the site administrators."
            )
        )


@dataclass
class PictureData:
    blob: bytes
    filename: str
    alt: str
    width: int
    height: int
    name: str = ""


@dataclass
class ImportedSlide:
    title: str
    body: str
    notes: str
    picture: PictureData | None = None


@dataclass
class ImportedDeck:
    title: str
    slides: list[ImportedSlide] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _one_line(text: str) -> str:
    return " ".join(text.replace("\v", " ").split())


def _placeholder_type(shape: BaseShape):
    if not shape.is_placeholder:
        return None
    try:
        return shape.placeholder_format.type
    except ValueError:
        return None


def _spans(paragraph) -> list[Span]:
    spans: list[Span] = []
    for child in paragraph._p.content_children:
        if child.tag == qn("a:br"):
            spans.append(Span("\n"))
            continue
        if child.tag == qn("a:fld"):
            spans.append(Span(child.text or ""))
            continue
        run = _Run(child, paragraph)
        try:
            address = run.hyperlink.address or ""
        except KeyError:  # a hyperlink whose relationship is missing
            address = ""
        spans.append(
            Span(
                run.text.replace("\v", "\n"),
                bold=bool(run.font.bold),
                italic=bool(run.font.italic),
                link=address,
            )
        )
    return spans


def _bullet(paragraph, bulleted_by_default: bool) -> str:
    properties = paragraph._p.pPr
    if properties is not None:
        if properties.find(qn("a:buNone")) is not None:
            return "-" if paragraph.level else ""
        if properties.find(qn("a:buAutoNum")) is not None:
            return "1."
        if properties.find(qn("a:buChar")) is not None:
            return "-"
    if bulleted_by_default or paragraph.level:
        return "-"
    return ""


def _text_frame_blocks(text_frame: TextFrame, bulleted: bool) -> list[Paragraph]:
    blocks = []
    for paragraph in text_frame.paragraphs:
        spans = _spans(paragraph)
        if not "".join(span.text for span in spans).strip():
            continue
        bullet = _bullet(paragraph, bulleted)
        text = spans_to_markdown(spans).strip()
        if bullet:
            text = " ".join(text.split("\n"))
        blocks.append(Paragraph(text, level=paragraph.level, bullet=bullet))
    return blocks


def _table_rows(frame: GraphicFrame) -> list[list[str]]:
    rows = []
    for row in frame.table.rows:
        cells = []
        for cell in row.cells:
            text = " ".join(
                spans_to_markdown(_spans(paragraph)).replace("\n", " ")
                for paragraph in cell.text_frame.paragraphs
            ).strip()
            cells.append("" if cell.is_spanned else text.replace("|", "\\|"))
        rows.append(cells)
    return rows


def _walk(shapes) -> list[BaseShape]:
    """Every shape, groups flattened in document order."""
    found: list[BaseShape] = []
    for shape in shapes:
        if isinstance(shape, GroupShape):
            found.append(shape)
            found.extend(_walk(shape.shapes))
        else:
            found.append(shape)
    return found


def _alt_text(shape: Picture) -> str:
    descriptions = shape._element.xpath("./*[1]/p:cNvPr/@descr")
    return _one_line(str(descriptions[0]))[:ALT_MAX_LENGTH] if descriptions else ""


def _picture_data(shape: Picture, number: int, limits: PptxLimits) -> PictureData:
    """The picture's image, or ValueError with the reason it was left out."""
    try:
        image = shape.image
        blob, extension = image.blob, image.ext
    except (KeyError, ValueError, AttributeError) as error:
        raise ValueError(_("it is linked, not embedded")) from error
    filename = (
        f"slide-{number}-{PurePosixPath(shape.name or 'picture').stem}.{extension}"
    )
    upload = SimpleUploadedFile(filename, blob)
    try:
        checked = WagtailImageField().clean(upload)
    except ValidationError as error:
        raise ValueError(
            _("its format (%(extension)s) cannot be shown on the web")
            % {"extension": extension.upper()}
        ) from error
    width, height = checked.image.get_size()
    if width * height > limits.max_image_pixels:
        raise ValueError(_("it has too many pixels"))
    return PictureData(
        blob=blob,
        filename=filename,
        alt=_alt_text(shape),
        width=width,
        height=height,
        name=shape.name,
    )


class _SlideReader:
    def __init__(self, slide, number: int, limits: PptxLimits):
        self.slide = slide
        self.number = number
        self.limits = limits
        self.blocks: list[Paragraph | Table] = []
        self.pictures: list[PictureData] = []
        self.left_out_pictures: list[str] = []
        self.warnings: list[str] = []

    def warn(self, message: str) -> None:
        self.warnings.append(
            _("Slide %(number)d: %(message)s")
            % {"number": self.number, "message": message}
        )

    def cannot_carry(self, what: str, shape: BaseShape) -> None:
        self.warn(
            _("%(what)s “%(name)s” cannot be carried over and was left out.")
            % {"what": what, "name": shape.name}
        )

    def read(self) -> ImportedSlide:
        title_shape = self.slide.shapes.title
        if title_shape is not None and not getattr(
            title_shape, "has_text_frame", False
        ):
            # A picture (or table) in the title placeholder: read it like any
            # other shape; the slide gets a numbered title.
            title_shape = None
        title = _one_line(title_shape.text_frame.text) if title_shape else ""
        if not title:
            title = _("Slide %(number)d") % {"number": self.number}
        self._check_alternate_content(self.slide.shapes)
        for shape in _walk(self.slide.shapes):
            if title_shape is not None and shape.shape_id == title_shape.shape_id:
                continue
            self._read_shape(shape)
        picture = self.pictures[0] if self.pictures else None
        self.left_out_pictures.extend(
            _("“%(name)s”") % {"name": left_out.name} for left_out in self.pictures[1:]
        )
        if self.left_out_pictures:
            self.warn(
                _("only the first picture was kept; left out: %(names)s.")
                % {"names": ", ".join(self.left_out_pictures)}
            )
        if picture is not None and not picture.alt:
            self.warn(_("the picture has no description (alt text); add one."))
        return ImportedSlide(
            title=title[:TITLE_MAX_LENGTH],
            body=blocks_to_markdown(self.blocks),
            notes=self._notes(),
            picture=picture,
        )

    def _check_alternate_content(self, shapes) -> None:
        container = getattr(shapes, "_spTree", None)
        if container is None:
            container = getattr(shapes, "_grpSp", None)
        if container is not None and container.find(ALTERNATE_CONTENT) is not None:
            self.warn(
                _(
                    "content saved for newer PowerPoint versions (such as equations "
                    "or 3D models) cannot be carried over and was left out."
                )
            )

    def _read_shape(self, shape: BaseShape) -> None:
        if isinstance(shape, GroupShape):
            self._check_alternate_content(shape.shapes)
        elif isinstance(shape, Movie) or (
            isinstance(shape, Picture)
            and shape._element.xpath(
                "./p:nvPicPr/p:nvPr/*["
                + " or ".join(f"self::{tag}" for tag in MEDIA_TAGS)
                + "]"
            )
        ):
            self.cannot_carry(_("The audio or video"), shape)
        elif isinstance(shape, Picture):
            try:
                self.pictures.append(_picture_data(shape, self.number, self.limits))
            except ValueError as reason:
                self.left_out_pictures.append(
                    _("“%(name)s” (%(reason)s)")
                    % {"name": shape.name, "reason": reason}
                )
        elif isinstance(shape, GraphicFrame):
            self._read_graphic_frame(shape)
        elif shape._element.tag == qn("p:contentPart"):
            self.cannot_carry(_("The ink drawing"), shape)
        elif getattr(shape, "has_text_frame", False) and shape.has_text_frame:
            kind = _placeholder_type(shape)
            if kind in BOILERPLATE_PLACEHOLDERS:
                return
            bulleted = kind in BULLETED_PLACEHOLDERS or (
                shape.is_placeholder and kind is None
            )
            self.blocks.extend(_text_frame_blocks(shape.text_frame, bulleted))

    def _read_graphic_frame(self, frame: GraphicFrame) -> None:
        if frame.has_table:
            self.blocks.append(Table(_table_rows(frame)))
        elif frame.has_chart:
            self.cannot_carry(_("The chart"), frame)
        elif frame._graphicFrame.graphicData_uri == SMARTART_URI:
            self.cannot_carry(_("The SmartArt graphic"), frame)
        elif frame.shape_type in (
            MSO_SHAPE_TYPE.EMBEDDED_OLE_OBJECT,
            MSO_SHAPE_TYPE.LINKED_OLE_OBJECT,
        ):
            self.cannot_carry(_("The embedded object"), frame)
        else:
            self.cannot_carry(_("The object"), frame)

    def _notes(self) -> str:
        if not self.slide.has_notes_slide:
            return ""
        text_frame = self.slide.notes_slide.notes_text_frame
        if text_frame is None:
            return ""
        return "\n".join(
            paragraph.text.replace("\v", "\n") for paragraph in text_frame.paragraphs
        ).strip()


def _open(file: IO[bytes]):
    try:
        return Presentation(file)
    except FILE_FAULTS as error:
        logger.info("python-pptx could not open the file", exc_info=True)
        raise PptxRefused(_(DAMAGED)) from error
    except Exception as error:
        logger.exception("Opening a presentation failed in our code")
        raise PptxReadFailed from error


def read_presentation(
    file: IO[bytes], *, limits: PptxLimits | None = None, filename: str = ""
) -> ImportedDeck:
    """Check and read a presentation; raise PptxRefused with a readable reason."""
    limits = limits or PptxLimits.from_settings()
    check_presentation_archive(file, limits=limits)
    presentation = _open(file)
    try:
        slides = list(presentation.slides)
        check_slide_count(len(slides), limits=limits)
        deck = ImportedDeck(title="")
        text_size = 0
        for number, slide in enumerate(slides, 1):
            reader = _SlideReader(slide, number, limits)
            imported = reader.read()
            text_size += sum(
                len(text.encode())
                for text in (imported.title, imported.body, imported.notes)
            )
            check_text_size(text_size, limits=limits)
            deck.slides.append(imported)
            deck.warnings.extend(reader.warnings)
        core_title = _one_line(presentation.core_properties.title or "")
        if core_title.casefold() in GENERIC_TITLES:
            core_title = ""
    except PptxRefused:
        raise
    except FILE_FAULTS as error:
        # A part python-pptx reads lazily turned out damaged.
        logger.info("python-pptx could not read a slide", exc_info=True)
        raise PptxRefused(_(DAMAGED)) from error
    except Exception as error:
        logger.exception("Reading a presentation failed in our code (%s)", filename)
        raise PptxReadFailed from error
    deck.title = (
        core_title
        or next(
            (
                slide.title
                for number, slide in enumerate(deck.slides, 1)
                if slide.title != _("Slide %(number)d") % {"number": number}
            ),
            "",
        )
        or PurePosixPath(filename).stem
        or _("Imported presentation")
    )[:TITLE_MAX_LENGTH]
    return deck
