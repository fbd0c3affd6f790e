"""The small Markdown dialect shared by the PowerPoint reader and writer.

The reader writes it and the writer reads it back, so a lesson exported and
imported again keeps its text: paragraphs, nested `-`/`1.` lists (indented as the
slide renderer nests them), `**bold**`, `*italic*`, links and tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..markdown import LIST_INDENT

INDENT = " " * LIST_INDENT
SAFE_LINK_SCHEMES = ("http://", "https://", "mailto:")

_ESCAPE_ANYWHERE = re.compile(r"([\\`*_\[\]])")
_ESCAPE_LINE_START = re.compile(r"^(\s*)([#>+-]|\d+\.)(?=\s|$)")
_UNESCAPE = re.compile(r"\\([\\`*_{}\[\]()>#+\-.!|])")


def escape(text: str) -> str:
    """Text that Markdown shows as written."""
    escaped = _ESCAPE_ANYWHERE.sub(r"\\\1", text)
    return "\n".join(
        _ESCAPE_LINE_START.sub(
            lambda match: (
                match.group(1) + "\\" + match.group(2)
                if not match.group(2)[0].isdigit()
                else match.group(1) + match.group(2)[:-1] + "\\."
            ),
            line,
        )
        for line in escaped.split("\n")
    )


def unescape(text: str) -> str:
    return _UNESCAPE.sub(r"\1", text)


def is_safe_link(address: str) -> bool:
    return address.strip().lower().startswith(SAFE_LINK_SCHEMES)


@dataclass(frozen=True)
class Span:
    """A run of text with one formatting."""

    text: str
    bold: bool = False
    italic: bool = False
    link: str = ""


def spans_to_markdown(spans: list[Span]) -> str:
    """Inline Markdown for formatted runs, merging neighbours that match."""
    merged: list[Span] = []
    for span in spans:
        if not span.text:
            continue
        if merged and (merged[-1].bold, merged[-1].italic, merged[-1].link) == (
            span.bold,
            span.italic,
            span.link,
        ):
            merged[-1] = Span(
                merged[-1].text + span.text, span.bold, span.italic, span.link
            )
        else:
            merged.append(span)
    parts = []
    for span in merged:
        if not span.text.strip():
            parts.append(span.text)
            continue
        core = span.text.strip()
        lead = span.text[: len(span.text) - len(span.text.lstrip())]
        trail = span.text[len(span.text.rstrip()) :]
        text = escape(core)
        if span.link and is_safe_link(span.link):
            text = f"[{text}]({span.link.strip().replace(' ', '%20')})"
        if span.bold and span.italic:
            text = f"***{text}***"
        elif span.bold:
            text = f"**{text}**"
        elif span.italic:
            text = f"*{text}*"
        parts.append(lead + text + trail)
    return "".join(parts)


_INLINE = re.compile(
    r"(?P<bold_italic>\*\*\*(?P<bi>.+?)\*\*\*)"
    r"|(?P<bold>\*\*(?P<b>.+?)\*\*)"
    r"|(?P<italic>(?<![\\*])\*(?P<i>[^*]+?)\*)"
    r"|(?P<code>`(?P<c>[^`]+)`)"
)
_LINK = re.compile(r"\[(?P<text>(?:\\.|[^\]])+)\]\((?P<url>[^)\s]+)\)")


def _spans_without_links(text: str, link: str) -> list[Span]:
    spans: list[Span] = []
    position = 0
    for match in _INLINE.finditer(text):
        if _escaped_at(text, match.start()):
            continue
        if match.start() > position:
            spans.append(Span(unescape(text[position : match.start()]), link=link))
        if match.group("bold_italic"):
            spans.append(Span(unescape(match.group("bi")), True, True, link))
        elif match.group("bold"):
            spans.extend(
                Span(span.text, True, span.italic, link)
                for span in _spans_without_links(match.group("b"), link)
            )
        elif match.group("italic"):
            spans.append(Span(unescape(match.group("i")), False, True, link))
        else:
            spans.append(Span(match.group("c"), link=link))
        position = match.end()
    if position < len(text):
        spans.append(Span(unescape(text[position:]), link=link))
    return spans


def _escaped_at(text: str, index: int) -> bool:
    backslashes = 0
    while index - backslashes - 1 >= 0 and text[index - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def markdown_to_spans(text: str) -> list[Span]:
    """Formatted runs for one line or paragraph of inline Markdown."""
    spans: list[Span] = []
    position = 0
    for match in _LINK.finditer(text):
        if _escaped_at(text, match.start()):
            continue
        spans.extend(_spans_without_links(text[position : match.start()], ""))
        url = match.group("url")
        spans.extend(
            _spans_without_links(match.group("text"), url if is_safe_link(url) else "")
        )
        position = match.end()
    spans.extend(_spans_without_links(text[position:], ""))
    return [span for span in spans if span.text]


@dataclass
class Paragraph:
    """A block of a slide body: a paragraph or a list item."""

    text: str
    level: int = 0
    bullet: str = ""  # "", "-" or "1."


@dataclass
class Table:
    rows: list[list[str]]


_LIST_ITEM = re.compile(
    r"^(?P<indent>[ \t]*)(?P<marker>[-*+]|\d+[.)])[ \t]+(?P<text>.*)$"
)
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}[ \t]+(.+?)[ \t#]*$")


def table_to_markdown(rows: list[list[str]]) -> str:
    if not rows:
        return ""
    width = max(len(row) for row in rows)

    def line(cells: list[str]) -> str:
        cells = [*cells, *[""] * (width - len(cells))]
        return "| " + " | ".join(cells) + " |"

    return "\n".join(
        [line(rows[0]), line(["---"] * width), *(line(row) for row in rows[1:])]
    )


def _split_row(line: str) -> list[str]:
    cells = re.split(r"(?<!\\)\|", line.strip().strip("|") if line.strip() else "")
    return [cell.strip() for cell in cells]


def parse_blocks(markdown: str) -> list[Paragraph | Table]:
    """Split a slide body into paragraphs, list items and tables."""
    blocks: list[Paragraph | Table] = []
    lines = markdown.replace("\r\n", "\n").split("\n")
    index = 0
    pending: list[str] = []

    def flush() -> None:
        if pending:
            blocks.append(Paragraph("\n".join(pending)))
            pending.clear()

    while index < len(lines):
        line = lines[index]
        if not line.strip():
            flush()
            index += 1
            continue
        if _FENCE.match(line):
            flush()
            fence = _FENCE.match(line).group(1)
            code = []
            index += 1
            while index < len(lines) and not lines[index].strip().startswith(fence):
                code.append(lines[index])
                index += 1
            blocks.append(Paragraph("`" + "\n".join(code) + "`" if code else ""))
            index += 1
            continue
        if (
            _TABLE_ROW.match(line)
            and index + 1 < len(lines)
            and _TABLE_RULE.match(lines[index + 1])
        ):
            flush()
            rows = [_split_row(line)]
            index += 2
            while index < len(lines) and _TABLE_ROW.match(lines[index]):
                rows.append(_split_row(lines[index]))
                index += 1
            blocks.append(Table(rows))
            continue
        item = _LIST_ITEM.match(line)
        if item:
            flush()
            indent = item.group("indent").replace("\t", INDENT)
            marker = item.group("marker")
            blocks.append(
                Paragraph(
                    item.group("text"),
                    level=min(len(indent) // len(INDENT), 8),
                    bullet="1." if marker[0].isdigit() else "-",
                )
            )
            index += 1
            continue
        heading = _HEADING.match(line)
        if heading:
            flush()
            blocks.append(Paragraph(f"**{heading.group(1)}**"))
            index += 1
            continue
        pending.append(line)
        index += 1
    flush()
    return [block for block in blocks if not isinstance(block, Paragraph) or block.text]


def blocks_to_markdown(blocks: list[Paragraph | Table]) -> str:
    """A slide body from blocks: list items on adjacent lines, others apart."""
    chunks: list[str] = []
    previous: Paragraph | Table | None = None
    # Numbered items count up per level within a run of list items.
    counters: dict[int, int] = {}
    for block in blocks:
        if isinstance(block, Paragraph) and block.bullet:
            for level in [level for level in counters if level > block.level]:
                del counters[level]
            if block.bullet == "1.":
                counters[block.level] = counters.get(block.level, 0) + 1
                marker = f"{counters[block.level]}."
            else:
                counters.pop(block.level, None)
                marker = block.bullet
            text = f"{INDENT * block.level}{marker} {block.text}"
        elif isinstance(block, Table):
            counters.clear()
            text = table_to_markdown(block.rows)
        else:
            counters.clear()
            text = block.text
        if not text.strip():
            continue
        if (
            chunks
            and isinstance(block, Paragraph)
            and block.bullet
            and isinstance(previous, Paragraph)
            and previous.bullet
        ):
            chunks[-1] += "\n" + text
        else:
            chunks.append(text)
        previous = block
    return "\n\n".join(chunks)
