"""Presentations built for the tests: ordinary decks with python-pptx, hostile
archives with zipfile. Nothing is downloaded."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

from PIL import Image
from pptx import Presentation
from pptx.util import Inches

FILES = Path(__file__).resolve().parent / "pptx_files"
TITLE_AND_CONTENT = 1
BLANK = 6


def png_bytes(colour: str = "red", size: tuple[int, int] = (40, 30)) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", size, colour).save(output, format="PNG")
    return output.getvalue()


def save(presentation, path: Path) -> Path:
    presentation.save(path)
    return path


def deck_with_levels(path: Path) -> Path:
    """One slide whose body has paragraphs at levels 0, 1 and 2, and notes."""
    presentation = Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[TITLE_AND_CONTENT])
    slide.shapes.title.text = "パスワードの決め方"
    body = slide.placeholders[1].text_frame
    body.text = "長くする"
    for text, level in (
        ("12文字以上", 1),
        ("辞書の単語は避ける", 2),
        ("使い回さない", 0),
    ):
        paragraph = body.add_paragraph()
        paragraph.text = text
        paragraph.level = level
    slide.notes_slide.notes_text_frame.text = "ここで実例を見せる\n二行目"
    return save(presentation, path)


def deck_with_group_and_table(path: Path) -> Path:
    presentation = Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[5])
    slide.shapes.title.text = "持ち出しの手続"
    group = slide.shapes.add_group_shape()
    group.shapes.add_textbox(
        Inches(1), Inches(2), Inches(4), Inches(1)
    ).text_frame.text = "グループの中の文章"
    table = slide.shapes.add_table(
        2, 2, Inches(1), Inches(4), Inches(6), Inches(1)
    ).table
    for (row, column), text in {
        (0, 0): "手続",
        (0, 1): "担当",
        (1, 0): "申請",
        (1, 1): "LAN・IT機器担当",
    }.items():
        table.cell(row, column).text = text
    return save(presentation, path)


def deck_with_pictures(path: Path) -> Path:
    presentation = Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[5])
    slide.shapes.title.text = "画面の例"
    first = slide.shapes.add_picture(io.BytesIO(png_bytes("red")), Inches(1), Inches(2))
    first.name = "ログイン画面"
    first._element.nvPicPr.cNvPr.set("descr", "ログイン画面の例")
    second = slide.shapes.add_picture(
        io.BytesIO(png_bytes("blue")), Inches(5), Inches(2)
    )
    second.name = "警告画面"
    return save(presentation, path)


def deck_with_slides(path: Path, count: int) -> Path:
    presentation = Presentation()
    for number in range(1, count + 1):
        slide = presentation.slides.add_slide(
            presentation.slide_layouts[TITLE_AND_CONTENT]
        )
        slide.shapes.title.text = f"スライド{number}"
        slide.placeholders[1].text_frame.text = f"本文{number}"
    return save(presentation, path)


def hostile_text_deck(path: Path) -> Path:
    """Script tags, event handlers and javascript:/data: links in every field."""
    presentation = Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[TITLE_AND_CONTENT])
    slide.shapes.title.text = "<script>alert('title')</script>危険なタイトル"
    body = slide.placeholders[1].text_frame
    body.text = "<img src=x onerror=alert('body')>本文"
    paragraph = body.add_paragraph()
    run = paragraph.add_run()
    run.text = "ここを押す"
    run.hyperlink.address = "javascript:alert('link')"
    paragraph = body.add_paragraph()
    run = paragraph.add_run()
    run.text = "画像を見る"
    run.hyperlink.address = "data:text/html,<script>alert('data')</script>"
    paragraph = body.add_paragraph()
    paragraph.text = "[生のリンク](javascript:alert('markdown'))"
    slide.notes_slide.notes_text_frame.text = (
        "<script>alert('notes')</script>\n"
        "<a href=\"javascript:alert('notes-link')\" onclick=\"alert('click')\">x</a>\n"
        "[ノートのリンク](data:text/html;base64,PHNjcmlwdD4=)"
    )
    slide.shapes.add_picture(io.BytesIO(png_bytes()), Inches(6), Inches(2))
    left_out = slide.shapes.add_picture(
        io.BytesIO(png_bytes("blue")), Inches(7), Inches(2)
    )
    left_out.name = "<script>alert('name')</script>"
    return save(presentation, path)


def minimal_deck_bytes() -> bytes:
    output = io.BytesIO()
    presentation = Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[TITLE_AND_CONTENT])
    slide.shapes.title.text = "普通のスライド"
    presentation.save(output)
    return output.getvalue()


def rewrite_deck(
    path: Path, replace: dict[str, bytes], add: dict | None = None
) -> Path:
    """A copy of a small valid deck with some parts replaced or added."""
    source = zipfile.ZipFile(io.BytesIO(minimal_deck_bytes()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            if entry.filename in replace:
                if replace[entry.filename] is not None:
                    target.writestr(entry.filename, replace[entry.filename])
            else:
                target.writestr(entry, source.read(entry.filename))
        for name, data in (add or {}).items():
            target.writestr(name, data)
    return path


SLIDE = "ppt/slides/slide1.xml"
SLIDE_XML_TAIL = (
    '<p:sld xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main">'
    '<p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/>'
    "<p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>"
    '<p:sp><p:nvSpPr><p:cNvPr id="2" name="Title"/><p:cNvSpPr/><p:nvPr>'
    '<p:ph type="title"/></p:nvPr></p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/>'
    "<a:p><a:r><a:t>{text}</a:t></a:r></a:p></p:txBody></p:sp>"
    "</p:spTree></p:cSld></p:sld>"
)


def billion_laughs_deck(path: Path) -> Path:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10}">' for n in range(1, 10)
    ]
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<!DOCTYPE p:sld [{''.join(entities)}]>" + SLIDE_XML_TAIL.format(text="&lol9;")
    )
    return rewrite_deck(path, {SLIDE: xml.encode()})


def external_entity_deck(path: Path) -> Path:
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE p:sld [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
        + SLIDE_XML_TAIL.format(text="&secret;")
    )
    return rewrite_deck(path, {SLIDE: xml.encode()})


def zip_bomb_deck(path: Path, size: int = 1024**3) -> Path:
    """A valid deck plus one media part that unpacks to `size` bytes of zeros."""
    rewrite_deck(path, {})
    chunk = bytes(1024 * 1024)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("ppt/media/image99.png", "w", force_zip64=True) as part:
            for _ in range(size // len(chunk)):
                part.write(chunk)
    return path


def truncated_deck(path: Path) -> Path:
    data = minimal_deck_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def text_named_pptx(path: Path) -> Path:
    path.write_text("これはテキストファイルです。\nPowerPoint ではありません。\n")
    return path


def legacy_ppt_named_pptx(path: Path) -> Path:
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    path.write_bytes(header + struct.pack("<I", 0) * 128)
    return path


def word_document_named_pptx(path: Path) -> Path:
    """A zip with package parts whose main document is not a presentation."""
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Override PartName="/word/document.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        "</Types>"
    )
    relationships = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats'
        '.org/officeDocument/2006/relationships/officeDocument" '
        'Target="word/document.xml"/></Relationships>'
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", relationships)
        archive.writestr("word/document.xml", "<w:document/>")
    return path


def deck_without_presentation_part(path: Path) -> Path:
    return rewrite_deck(path, {"ppt/presentation.xml": None})


def corrupt_entry_deck(path: Path) -> Path:
    """A deck whose slide part's compressed bytes are damaged (CRC mismatch)."""
    rewrite_deck(path, {})
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        entry = archive.getinfo(SLIDE)
    name_length, extra_length = struct.unpack(
        "<HH", bytes(data[entry.header_offset + 26 : entry.header_offset + 30])
    )
    start = entry.header_offset + 30 + name_length + extra_length
    for offset in range(start + 5, start + min(entry.compress_size, 40)):
        data[offset] ^= 0x5A
    path.write_bytes(bytes(data))
    return path


def deck_with_picture_in_title(path: Path, slides: int = 3) -> Path:
    """Slides whose title placeholder holds a picture (python-pptx reads it as a
    PlaceholderPicture, which has no text frame), a connector and a group."""
    from lxml import etree
    from pptx.enum.shapes import MSO_CONNECTOR
    from pptx.oxml.ns import qn

    presentation = Presentation()
    for number in range(1, slides + 1):
        slide = presentation.slides.add_slide(
            presentation.slide_layouts[TITLE_AND_CONTENT]
        )
        title = slide.shapes.title._element
        picture = slide.shapes.add_picture(
            io.BytesIO(png_bytes("blue")), Inches(1), Inches(0.5)
        )
        placeholder = etree.SubElement(picture._element.nvPicPr.nvPr, qn("p:ph"))
        placeholder.set("type", "title")
        picture._element.nvPicPr.cNvPr.set("descr", f"ロゴ{number}")
        title.getparent().remove(title)
        slide.placeholders[1].text_frame.text = f"本文{number}"
        slide.shapes.add_connector(
            MSO_CONNECTOR.STRAIGHT, Inches(1), Inches(5), Inches(4), Inches(5)
        )
        group = slide.shapes.add_group_shape()
        group.shapes.add_textbox(
            Inches(1), Inches(6), Inches(3), Inches(1)
        ).text_frame.text = f"グループ{number}"
    return save(presentation, path)
