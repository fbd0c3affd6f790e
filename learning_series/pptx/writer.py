"""Write a lesson's slides to a .pptx: title, text, tables, image and notes.

The body is written so that `reader.read_presentation` gives the same
Markdown back: one text box per run of paragraphs, explicit bullets on list
items (none on plain paragraphs), a native table for each Markdown table.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import IO

from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from .markdown_text import Paragraph, Table, markdown_to_spans, parse_blocks

SLIDE_WIDTH = Inches(13.333)
SLIDE_HEIGHT = Inches(7.5)
MARGIN = Inches(0.5)
TITLE_TOP = Inches(0.3)
TITLE_HEIGHT = Inches(1.1)
BODY_TOP = Inches(1.6)
LINE_HEIGHT = Inches(0.45)
IMAGE_WIDTH = Inches(4.8)
LEVEL_INDENT = Emu(342900)
TITLE_ONLY_LAYOUT = 5
BODY_FONT_SIZE = Pt(20)


@dataclass
class ExportSlide:
    title: str
    body: str = ""
    notes: str = ""
    image: IO[bytes] | None = None
    image_alt: str = ""


def _set_bullet(paragraph, block: Paragraph) -> None:
    properties = paragraph._p.get_or_add_pPr()
    for tag in ("a:buNone", "a:buChar", "a:buAutoNum"):
        for element in properties.findall(qn(tag)):
            properties.remove(element)
    if block.bullet == "1.":
        marker = properties.makeelement(qn("a:buAutoNum"), {"type": "arabicPeriod"})
    elif block.bullet:
        marker = properties.makeelement(qn("a:buChar"), {"char": "•"})
    else:
        marker = properties.makeelement(qn("a:buNone"), {})
    properties.append(marker)
    if block.bullet:
        properties.set("marL", str(LEVEL_INDENT * (block.level + 1)))
        properties.set("indent", str(-LEVEL_INDENT))


def _write_spans(paragraph, text: str) -> None:
    for span in markdown_to_spans(text):
        for index, piece in enumerate(span.text.split("\n")):
            if index:
                paragraph.add_line_break()
            if not piece:
                continue
            run = paragraph.add_run()
            run.text = piece
            run.font.size = BODY_FONT_SIZE
            if span.bold:
                run.font.bold = True
            if span.italic:
                run.font.italic = True
            if span.link:
                run.hyperlink.address = span.link


def _add_text_box(slide, paragraphs: list[Paragraph], top: int, width: int) -> int:
    lines = sum(1 + block.text.count("\n") for block in paragraphs)
    height = LINE_HEIGHT * max(lines, 1)
    text_frame = slide.shapes.add_textbox(MARGIN, top, width, height).text_frame
    text_frame.word_wrap = True
    for index, block in enumerate(paragraphs):
        paragraph = (
            text_frame.paragraphs[0] if index == 0 else text_frame.add_paragraph()
        )
        paragraph.level = block.level
        _set_bullet(paragraph, block)
        _write_spans(paragraph, block.text)
    return top + height


def _add_table(slide, table: Table, top: int, width: int) -> int:
    columns = max(len(row) for row in table.rows)
    height = LINE_HEIGHT * len(table.rows)
    shape = slide.shapes.add_table(len(table.rows), columns, MARGIN, top, width, height)
    for row_index, row in enumerate(table.rows):
        for column_index in range(columns):
            text = row[column_index] if column_index < len(row) else ""
            paragraph = shape.table.cell(row_index, column_index).text_frame.paragraphs[
                0
            ]
            _write_spans(paragraph, text)
    return top + height


def _add_picture(slide, image: IO[bytes], alt: str) -> None:
    left = SLIDE_WIDTH - MARGIN - IMAGE_WIDTH
    picture = slide.shapes.add_picture(image, left, BODY_TOP, width=IMAGE_WIDTH)
    available = SLIDE_HEIGHT - BODY_TOP - MARGIN
    if picture.height > available:
        ratio = available / picture.height
        picture.height = int(available)
        picture.width = int(picture.width * ratio)
    picture._element.nvPicPr.cNvPr.set("descr", alt)


def write_presentation(*, title: str, slides: list[ExportSlide]) -> bytes:
    """A .pptx holding `slides`, with `title` in its document properties."""
    presentation = Presentation()
    presentation.slide_width = SLIDE_WIDTH
    presentation.slide_height = SLIDE_HEIGHT
    presentation.core_properties.title = title
    layout = presentation.slide_layouts[TITLE_ONLY_LAYOUT]
    for exported in slides:
        slide = presentation.slides.add_slide(layout)
        title_shape = slide.shapes.title
        title_shape.left, title_shape.top = MARGIN, TITLE_TOP
        title_shape.width = SLIDE_WIDTH - 2 * MARGIN
        title_shape.height = TITLE_HEIGHT
        title_shape.text_frame.text = exported.title
        width = SLIDE_WIDTH - 2 * MARGIN
        if exported.image is not None:
            width -= IMAGE_WIDTH + MARGIN
        top = BODY_TOP
        pending: list[Paragraph] = []
        for block in parse_blocks(exported.body):
            if isinstance(block, Table):
                if pending:
                    top = _add_text_box(slide, pending, top, width)
                    pending = []
                top = _add_table(slide, block, top, width)
            else:
                pending.append(block)
        if pending:
            _add_text_box(slide, pending, top, width)
        if exported.image is not None:
            _add_picture(slide, exported.image, exported.image_alt)
        if exported.notes:
            slide.notes_slide.notes_text_frame.text = exported.notes
    output = io.BytesIO()
    presentation.save(output)
    return output.getvalue()
