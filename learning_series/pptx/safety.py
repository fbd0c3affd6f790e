"""Checks a .pptx archive before python-pptx opens it.

python-pptx reads every part of the archive into memory on open and parses
its XML with no size limit, so a small zip bomb or an entity-expansion part
costs hundreds of megabytes. These checks read only the zip's central
directory and stream the XML parts in small chunks, so they stay cheap
whatever the file holds; python-pptx sees the file only when they pass.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from lxml import etree

MEGABYTE = 1024 * 1024
CHUNK_SIZE = 64 * 1024
# The content types and package relationships are a few kilobytes at most.
MAX_PACKAGE_PART_SIZE = MEGABYTE

# The magic number of an OLE compound file: legacy .ppt files and encrypted
# Office documents (a password-protected .pptx is not a zip) both start so.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

CONTENT_TYPES_PART = "[Content_Types].xml"
PACKAGE_RELATIONSHIPS_PART = "_rels/.rels"
OFFICE_DOCUMENT_RELATIONSHIP = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)
PRESENTATION_CONTENT_TYPES = {
    "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    ".main+xml",
    "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.presentationml.slideshow.main+xml",
    "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml",
}
SLIDE_CONTENT_TYPE = (
    "application/vnd.openxmlformats-officedocument.presentationml.slide+xml"
)
CONTENT_TYPES_NAMESPACE = (
    "{http://schemas.openxmlformats.org/package/2006/content-types}"
)
RELATIONSHIPS_NAMESPACE = (
    "{http://schemas.openxmlformats.org/package/2006/relationships}"
)

# A DOCTYPE may declare entities (billion laughs, external entities); no
# part of a presentation needs one. The UTF-16 forms catch parts declared in
# that encoding.
DOCTYPE_PATTERNS = tuple(
    "<!doctype".encode(encoding) for encoding in ("ascii", "utf-16-le", "utf-16-be")
)
LONGEST_PATTERN = max(len(pattern) for pattern in DOCTYPE_PATTERNS)
XML_PART = re.compile(r"\.(xml|rels|vml)$", re.IGNORECASE)

# The parser for the two small parts read here; DOCTYPEs are refused before.
SAFE_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
)


class PptxRefused(ValueError):
    """A file that will not be imported; the message is for the person uploading."""


@dataclass(frozen=True)
class PptxLimits:
    """The bounds an uploaded presentation must stay within."""

    max_upload_size: int
    max_entries: int
    max_uncompressed_size: int
    max_compression_ratio: int
    max_xml_size: int
    max_slides: int
    max_image_pixels: int
    max_text_size: int

    @classmethod
    def from_settings(cls) -> PptxLimits:
        return cls(
            max_upload_size=getattr(
                settings, "GOFUN_PPTX_MAX_UPLOAD_SIZE", 50 * MEGABYTE
            ),
            max_entries=getattr(settings, "GOFUN_PPTX_MAX_ENTRIES", 2000),
            max_uncompressed_size=getattr(
                settings, "GOFUN_PPTX_MAX_UNCOMPRESSED_SIZE", 100 * MEGABYTE
            ),
            max_compression_ratio=getattr(
                settings, "GOFUN_PPTX_MAX_COMPRESSION_RATIO", 100
            ),
            max_xml_size=getattr(settings, "GOFUN_PPTX_MAX_XML_SIZE", 6 * MEGABYTE),
            max_slides=getattr(settings, "GOFUN_PPTX_MAX_SLIDES", 200),
            max_image_pixels=getattr(
                settings, "GOFUN_PPTX_MAX_IMAGE_PIXELS", 40_000_000
            ),
            # A five-minute lesson is a few kilobytes of text; storing,
            # revising and indexing megabytes of it costs far more memory
            # than reading the file did.
            max_text_size=getattr(settings, "GOFUN_PPTX_MAX_TEXT_SIZE", 512 * 1024),
        )


def _not_a_presentation() -> PptxRefused:
    return PptxRefused(
        _("The file is not a PowerPoint presentation (.pptx) or it is damaged.")
    )


def _file_size(file: IO[bytes]) -> int:
    file.seek(0, 2)
    size = file.tell()
    file.seek(0)
    return size


def _check_header(file: IO[bytes]) -> None:
    head = file.read(len(OLE_MAGIC))
    file.seek(0)
    if head == OLE_MAGIC:
        raise PptxRefused(
            _(
                "The file is password-protected or in the old .ppt format: "
                "save it from PowerPoint as .pptx without a password."
            )
        )
    if not head.startswith(b"PK"):
        raise _not_a_presentation()


def _check_sizes(archive: zipfile.ZipFile, limits: PptxLimits) -> None:
    entries = archive.infolist()
    if len(entries) > limits.max_entries:
        raise PptxRefused(
            _("The file has too many parts (%(count)d; at most %(limit)d).")
            % {"count": len(entries), "limit": limits.max_entries}
        )
    total_uncompressed = 0
    total_compressed = 0
    total_xml = 0
    for entry in entries:
        if entry.flag_bits & 0x1:
            raise PptxRefused(
                _(
                    "The file is password-protected or in the old .ppt format: "
                    "save it from PowerPoint as .pptx without a password."
                )
            )
        total_uncompressed += entry.file_size
        total_compressed += entry.compress_size
        if XML_PART.search(entry.filename):
            total_xml += entry.file_size
        # Small parts compress well and cannot cost much; the ratio matters
        # only where the size does.
        if (
            entry.file_size > MEGABYTE
            and entry.file_size > entry.compress_size * limits.max_compression_ratio
        ):
            raise _too_compressed()
    if total_uncompressed > limits.max_uncompressed_size:
        raise _too_large(total_uncompressed, limits.max_uncompressed_size)
    # python-pptx parses every XML part into an lxml tree several times the
    # size of its text, so XML has a tighter bound than pictures.
    if total_xml > limits.max_xml_size:
        raise _too_large(total_xml, limits.max_xml_size)
    if (
        total_uncompressed > MEGABYTE
        and total_uncompressed > max(total_compressed, 1) * limits.max_compression_ratio
    ):
        raise _too_compressed()


def _too_large(size: int, limit: int) -> PptxRefused:
    return PptxRefused(
        _("The presentation is too large once unpacked (%(size)s; at most %(limit)s).")
        % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
    )


def _too_compressed() -> PptxRefused:
    return PptxRefused(
        _("The file is compressed suspiciously tightly (a zip bomb?) and was refused.")
    )


def _check_no_doctype(archive: zipfile.ZipFile) -> None:
    for entry in archive.infolist():
        if not XML_PART.search(entry.filename):
            continue
        tail = b""
        with archive.open(entry) as part:
            while chunk := part.read(CHUNK_SIZE):
                window = (tail + chunk).lower()
                if any(pattern in window for pattern in DOCTYPE_PATTERNS):
                    raise PptxRefused(
                        _(
                            "The file contains a document type declaration "
                            "(DOCTYPE), which presentations never need; "
                            "it was refused."
                        )
                    )
                tail = window[-LONGEST_PATTERN:]


def _parse_part(archive: zipfile.ZipFile, name: str) -> etree._Element:
    try:
        if archive.getinfo(name).file_size > MAX_PACKAGE_PART_SIZE:
            raise _not_a_presentation()
        return etree.fromstring(archive.read(name), parser=SAFE_PARSER)  # noqa: S320
    except (KeyError, etree.XMLSyntaxError) as error:
        raise _not_a_presentation() from error


def _check_parts(archive: zipfile.ZipFile, limits: PptxLimits) -> None:
    names = set(archive.namelist())
    if CONTENT_TYPES_PART not in names or PACKAGE_RELATIONSHIPS_PART not in names:
        raise _not_a_presentation()
    content_types = _parse_part(archive, CONTENT_TYPES_PART)
    overrides = {
        element.get("PartName", "").lstrip("/"): element.get("ContentType", "")
        for element in content_types.iter(f"{CONTENT_TYPES_NAMESPACE}Override")
    }
    relationships = _parse_part(archive, PACKAGE_RELATIONSHIPS_PART)
    main_parts = [
        element.get("Target", "")
        for element in relationships.iter(f"{RELATIONSHIPS_NAMESPACE}Relationship")
        if element.get("Type") == OFFICE_DOCUMENT_RELATIONSHIP
        and element.get("TargetMode") != "External"
    ]
    if len(main_parts) != 1:
        raise _not_a_presentation()
    main_part = posixpath.normpath(main_parts[0].lstrip("/"))
    if main_part not in names:
        raise _not_a_presentation()
    if overrides.get(main_part) not in PRESENTATION_CONTENT_TYPES:
        raise _not_a_presentation()
    slides = [
        name
        for name, content_type in overrides.items()
        if content_type == SLIDE_CONTENT_TYPE
    ]
    if any(name not in names for name in slides):
        raise _not_a_presentation()
    check_slide_count(len(slides), limits=limits)


def check_slide_count(count: int, *, limits: PptxLimits) -> None:
    """Refuse a presentation with no slides or more than the limit."""
    if count == 0:
        raise PptxRefused(_("The presentation has no slides."))
    if count > limits.max_slides:
        raise PptxRefused(
            _("The presentation has too many slides (%(count)d; at most %(limit)d).")
            % {"count": count, "limit": limits.max_slides}
        )


def check_text_size(size: int, *, limits: PptxLimits) -> None:
    """Refuse a presentation whose slides hold more text than a lesson should."""
    if size > limits.max_text_size:
        raise PptxRefused(
            _(
                "The presentation holds too much text for a lesson "
                "(more than %(limit)s)."
            )
            % {"limit": filesizeformat(limits.max_text_size)}
        )


def check_presentation_archive(file: IO[bytes], *, limits: PptxLimits) -> None:
    """Raise PptxRefused unless `file` is a .pptx archive within `limits`.

    Reads the central directory, two small parts and every XML part in
    chunks; never holds a whole part in memory except the two small ones.
    """
    size = _file_size(file)
    if size > limits.max_upload_size:
        raise PptxRefused(
            _("The file is too large (%(size)s; at most %(limit)s).")
            % {
                "size": filesizeformat(size),
                "limit": filesizeformat(limits.max_upload_size),
            }
        )
    _check_header(file)
    try:
        with zipfile.ZipFile(file) as archive:
            _check_sizes(archive, limits)
            _check_no_doctype(archive)
            _check_parts(archive, limits)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        EOFError,
        OSError,
    ) as error:
        raise _not_a_presentation() from error
    except (NotImplementedError, RuntimeError) as error:
        # Unsupported compression methods and encrypted entries.
        raise _not_a_presentation() from error
    finally:
        file.seek(0)
