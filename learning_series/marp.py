"""Parse Marp-style Markdown decks: YAML front matter, slides split by `---`.

A slide's first `#` heading is its title; HTML comments are its speaker notes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml
from django.utils.translation import gettext as _

SLIDE_SEPARATOR = re.compile(r"^---[ \t]*$", re.MULTILINE)
COMMENT = re.compile(r"<!--(.*?)-->", re.DOTALL)
HEADING = re.compile(r"^\s{0,3}#{1,6}[ \t]+(.+?)[ \t#]*$", re.MULTILINE)


class MarpError(ValueError):
    """A deck that cannot be read; the message is for the person who wrote it."""


@dataclass
class Slide:
    title: str
    body: str
    notes: str = ""
    # A saved Wagtail image, for decks read from PowerPoint.
    image: object | None = None
    image_alt: str = ""


@dataclass
class Deck:
    title: str
    summary: str = ""
    tags: list[str] = field(default_factory=list)
    slides: list[Slide] = field(default_factory=list)


def _front_matter(text: str) -> tuple[dict, str]:
    parts = SLIDE_SEPARATOR.split(text.lstrip("\ufeff"), maxsplit=2)
    if len(parts) < 3 or parts[0].strip():
        raise MarpError(_("The file must start with front matter between --- lines."))
    try:
        meta = yaml.safe_load(parts[1]) or {}
    except yaml.YAMLError as error:
        raise MarpError(_("The front matter is not valid YAML.")) from error
    if not isinstance(meta, dict):
        raise MarpError(_("The front matter must be a set of key: value lines."))
    return meta, parts[2]


def _slide(chunk: str, number: int) -> Slide:
    notes = "\n\n".join(match.strip() for match in COMMENT.findall(chunk))
    content = COMMENT.sub("", chunk).strip()
    heading = HEADING.search(content)
    if heading is None:
        raise MarpError(
            _("Slide %(number)d has no title: start it with a # heading.")
            % {"number": number}
        )
    body = (content[: heading.start()] + content[heading.end() :]).strip()
    return Slide(title=heading.group(1).strip(), body=body, notes=notes)


def parse_deck(text: str) -> Deck:
    """Read a Marp-style deck; raise MarpError with a readable message."""
    meta, rest = _front_matter(text)
    title = str(meta.get("title") or "").strip()
    if not title:
        raise MarpError(_("The front matter has no title."))
    tags = meta.get("tags") or []
    if isinstance(tags, str):
        tags = [tag.strip() for tag in tags.split(",")]
    chunks = [chunk for chunk in SLIDE_SEPARATOR.split(rest) if chunk.strip()]
    if not chunks:
        raise MarpError(_("The deck has no slides."))
    return Deck(
        title=title,
        summary=str(meta.get("summary") or "").strip(),
        tags=[str(tag).strip() for tag in tags if str(tag).strip()],
        slides=[_slide(chunk, number) for number, chunk in enumerate(chunks, 1)],
    )
