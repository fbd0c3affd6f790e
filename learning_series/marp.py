"""Read decks written for Marp: what Marp would show becomes slides and notes.

Marp (and the Marpit framework under it) is built on markdown-it, so the deck
is parsed here with markdown-it-py, a port of the same parser, and Marpit's
rules are followed (https://marpit.marp.app/markdown, .../directives):

* optional YAML front matter between the first two `---` lines;
* slides split at every horizontal ruler Marpit splits at (`---`, `***`,
  `___`, `- - -` …, but not a `---` under a line of text, which CommonMark
  reads as a heading underline, nor one inside a code block), and before
  headings when the `headingDivider` directive asks for it;
* an HTML comment that is YAML naming a Marp directive (`<!-- paginate:
  false -->`, `<!-- _class: lead -->`) is a directive: applied where Gofun
  has a use for it (title, description, keywords, headingDivider), ignored
  otherwise, never shown; every other comment is a speaker note, as Marp
  makes it one;
* a slide's title is its first heading of any level; the deck's title is the
  `title` directive, else its first heading, else the file name.

What a lesson cannot hold (background and inline images, whose files are not
uploaded with the deck; `<style>` blocks and the `style` directive; headers
and footers) is left out and named in a warning for its slide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePath

import yaml
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt
from markdown_it.token import Token

FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.DOTALL)
COMMENT = re.compile(r"<!--+\s*(.*?)\s*--+>", re.DOTALL)
IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
BLANK_RUNS = re.compile(r"\n{3,}")

# Marpit's directives, Marp Core's and Marp CLI's metadata directives.
GLOBAL_DIRECTIVES = frozenset(
    {
        "headingDivider", "style", "theme", "lang", "math", "size", "marp",
        "title", "description", "author", "image", "keywords", "url",
    }
)  # fmt: skip
LOCAL_DIRECTIVES = frozenset(
    {
        "backgroundColor", "backgroundImage", "backgroundPosition",
        "backgroundRepeat", "backgroundSize", "class", "color", "footer",
        "header", "paginate", "transition",
    }
)  # fmt: skip
# Marp Core's fitting header: `# <!-- fit --> Title` is no note.
FIT = "fit"


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
    # What was left out, one line each, naming the slide.
    warnings: list[str] = field(default_factory=list)


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable("table")


def _front_matter(text: str) -> tuple[dict, str]:
    match = FRONT_MATTER.match(text)
    if match is None:
        return {}, text
    try:
        meta = yaml.safe_load(match.group(1) or "") or {}
    except yaml.YAMLError as error:
        raise MarpError(_("The front matter is not valid YAML.")) from error
    if not isinstance(meta, dict):
        raise MarpError(_("The front matter must be a set of key: value lines."))
    return meta, text[match.end() :]


def _directive_name(key: str) -> tuple[str, bool] | None:
    """A directive's name and whether it is a spot (`_`) one; None if unknown."""
    key = str(key)
    if key.startswith("$") and key[1:] in GLOBAL_DIRECTIVES:
        return key[1:], False
    if key in GLOBAL_DIRECTIVES or key in LOCAL_DIRECTIVES:
        return key, False
    if key.startswith("_") and key[1:] in LOCAL_DIRECTIVES:
        return key[1:], True
    return None


def directives_in(comment: str) -> dict[str, str] | None:
    """The directives a comment sets, as Marpit reads it; None for a note.

    Marpit parses a comment as YAML with the failsafe schema: a mapping
    naming at least one directive is a directive comment.
    """
    try:
        parsed = yaml.load(comment, Loader=yaml.BaseLoader)  # noqa: S506 -- BaseLoader builds only str, list and dict
    except yaml.YAMLError:
        return None
    if not isinstance(parsed, dict):
        return None
    found = {}
    for key, value in parsed.items():
        name = _directive_name(key)
        if name is not None:
            found[name[0]] = value
    return found or None


def _heading_levels(value) -> set[int]:
    values = value if isinstance(value, list) else [value]
    if len(values) == 1 and not isinstance(value, list):
        try:
            level = int(str(values[0]).strip())
        except ValueError:
            return set()
        return set(range(1, level + 1)) if 1 <= level <= 6 else set()
    levels = set()
    for item in values:
        try:
            levels.add(int(str(item).strip()))
        except ValueError:
            continue
    return levels & set(range(1, 7))


@dataclass
class _Comment:
    text: str
    markup: str
    token: Token
    block: Token  # the block token it sits in (itself for a comment block)
    in_heading: bool = False

    @property
    def directives(self) -> dict[str, str] | None:
        return directives_in(self.text)


def _comments(tokens: list[Token]) -> list[_Comment]:
    found = []
    block = None
    heading = False
    for token in tokens:
        if token.nesting == 1 and token.level == 0:
            block, heading = token, token.type == "heading_open"
        if token.type == "html_block" and token.content.lstrip().startswith("<!--"):
            for match in COMMENT.finditer(token.content):
                found.append(_Comment(match.group(1), match.group(0), token, token))
        elif token.type == "inline":
            for child in token.children or []:
                if child.type == "html_inline" and child.content.startswith("<!--"):
                    match = COMMENT.match(child.content)
                    found.append(
                        _Comment(
                            match.group(1) if match else "",
                            child.content,
                            child,
                            block or token,
                            in_heading=heading,
                        )
                    )
        if token.nesting == -1 and token.level == 0:
            heading = False
    return found


@dataclass
class _SlideSource:
    """The lines of one slide and the top-level tokens found in them."""

    number: int
    start: int
    end: int = 0
    tokens: list[Token] = field(default_factory=list)

    def has_visible_content(self, comment_blocks: set[int]) -> bool:
        return any(
            token.level == 0 and token.nesting != -1 and id(token) not in comment_blocks
            for token in self.tokens
        )


def _split(
    tokens: list[Token], line_count: int, levels: set[int], comment_blocks: set[int]
) -> list[_SlideSource]:
    slides = [_SlideSource(number=1, start=0)]
    for token in tokens:
        current = slides[-1]
        if token.type == "hr" and token.level == 0:
            current.end = token.map[0]
            slides.append(_SlideSource(number=len(slides) + 1, start=token.map[1]))
            continue
        if (
            token.type == "heading_open"
            and token.level == 0
            and int(token.tag[1]) in levels
            and current.has_visible_content(comment_blocks)
        ):
            current.end = token.map[0]
            slides.append(_SlideSource(number=len(slides) + 1, start=token.map[0]))
            current = slides[-1]
        current.tokens.append(token)
    slides[-1].end = line_count
    return slides


def _inline_text(inline: Token) -> str:
    """The plain text of a heading, without comments, images or markup."""
    parts = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return " ".join("".join(parts).split())


class _DeckReader:
    def __init__(self, text: str, *, source_name: str):
        self.source_name = source_name
        text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
        self.meta, body = _front_matter(text)
        self.tokens = _parser().parse(body)
        self.lines: list[str | None] = body.split("\n")
        self.comments = _comments(self.tokens)
        self.warnings: list[str] = []
        self.globals: dict[str, object] = {
            key: value
            for key, value in self.meta.items()
            if _directive_name(key) is not None
        }
        for comment in self.comments:
            for name, value in (comment.directives or {}).items():
                if name in GLOBAL_DIRECTIVES:
                    self.globals[name] = value

    def warn(self, number: int, message: str) -> None:
        self.warnings.append(
            _("Slide %(number)d: %(message)s") % {"number": number, "message": message}
        )

    def _remove_lines(self, token: Token) -> None:
        start, end = token.map
        for index in range(start, end):
            self.lines[index] = None

    def _remove_text(self, block: Token, markup: str) -> None:
        """Take `markup` out of the lines of a block, keeping line numbers."""
        start, end = block.map
        text = "\n".join(line for line in self.lines[start:end] if line is not None)
        self.lines[start] = text.replace(markup, "", 1)
        for index in range(start + 1, end):
            self.lines[index] = None

    def _body(self, slide: _SlideSource) -> str:
        kept = [
            line for line in self.lines[slide.start : slide.end] if line is not None
        ]
        return BLANK_RUNS.sub("\n\n", "\n".join(kept)).strip()

    def read(self) -> Deck:
        comment_blocks = {
            id(comment.block)
            for comment in self.comments
            if comment.block is comment.token
        }
        slides = _split(
            self.tokens,
            len(self.lines),
            _heading_levels(self.globals.get("headingDivider", "false")),
            comment_blocks,
        )
        if "style" in self.globals:
            self.warn(1, _("the style directive (CSS) cannot be carried over."))
        for key in ("header", "footer", "backgroundImage"):
            if self.meta.get(key):
                self._warn_directive(1, key, self.meta[key])
        read_slides = []
        first_heading = ""
        for source in slides:
            slide, from_heading = self._read_slide(source)
            if slide is None:
                continue
            if from_heading and not first_heading:
                first_heading = slide.title
            read_slides.append(slide)
        if not read_slides:
            raise MarpError(_("The deck has no slides."))
        title = str(self.meta.get("title") or self.globals.get("title") or "").strip()
        title = title or first_heading or PurePath(self.source_name).stem.strip()
        if not title:
            raise MarpError(
                _(
                    "The deck has no title: add title to the front matter "
                    "or a # heading."
                )
            )
        return Deck(
            title=title,
            summary=str(
                self.meta.get("summary") or self.globals.get("description") or ""
            ).strip(),
            tags=self._tags(),
            slides=read_slides,
            warnings=self.warnings,
        )

    def _tags(self) -> list[str]:
        tags = self.meta.get("tags") or self.globals.get("keywords") or []
        if isinstance(tags, str):
            tags = tags.split(",")
        if not isinstance(tags, list):
            tags = [tags]
        return [str(tag).strip() for tag in tags if str(tag).strip()]

    def _warn_directive(self, number: int, name: str, value) -> None:
        if name == "backgroundImage":
            self.warn(
                number,
                _(
                    "the background image %(image)s was left out: add the picture "
                    "in the admin."
                )
                % {"image": value},
            )
        elif name == "header":
            self.warn(
                number, _("the header “%(text)s” was left out.") % {"text": value}
            )
        elif name == "footer":
            self.warn(
                number, _("the footer “%(text)s” was left out.") % {"text": value}
            )

    def _read_slide(self, source: _SlideSource) -> tuple[Slide | None, bool]:
        """The slide, or None for an empty one, and whether a heading titled it."""
        in_slide = {id(token) for token in source.tokens}
        notes = []
        for comment in self.comments:
            if id(comment.block) not in in_slide:
                continue
            directives = comment.directives
            if directives is not None:
                for name, value in directives.items():
                    if name in ("header", "footer", "backgroundImage") and value:
                        self._warn_directive(source.number, name, value)
            elif not (comment.in_heading and comment.text.strip() == FIT):
                if comment.text.strip():
                    notes.append(comment.text.strip())
            if comment.block is comment.token:
                self._remove_lines(comment.token)
            else:
                self._remove_text(comment.block, comment.markup)
        title, from_heading = "", False
        block = None
        for token in source.tokens:
            if token.nesting == 1 and token.level == 0:
                block = token
            if token.type == "html_block" and token.content.lstrip().startswith(
                "<style"
            ):
                self.warn(
                    source.number,
                    _("a <style> block cannot be carried over and was left out."),
                )
                self._remove_lines(token)
            elif token.type == "inline":
                self._images(source.number, token, block)
                if block is not None and block.type == "heading_open" and not title:
                    title, from_heading = _inline_text(token), True
                    self._remove_lines(block)
        body = self._body(source)
        if not (title or body or notes):
            return None, False
        slide = Slide(
            title=title or _("Slide %(number)d") % {"number": source.number},
            body=body,
            notes="\n\n".join(notes),
        )
        return slide, from_heading

    def _images(self, number: int, inline: Token, block: Token | None) -> None:
        images = [c for c in inline.children or [] if c.type == "image"]
        if not images or block is None or block.map is None:
            return
        for image in images:
            source = image.attrGet("src") or ""
            keywords = image.content.split()
            if "bg" in keywords:
                self.warn(
                    number,
                    _(
                        "the background image %(image)s was left out: add the "
                        "picture in the admin."
                    )
                    % {"image": source},
                )
            else:
                self.warn(
                    number,
                    _(
                        "the image “%(alt)s” (%(image)s) was left out: add the "
                        "picture in the admin."
                    )
                    % {"alt": image.content, "image": source},
                )
        start, end = block.map
        text = "\n".join(line for line in self.lines[start:end] if line is not None)
        self.lines[start] = IMAGE.sub("", text)
        for index in range(start + 1, end):
            self.lines[index] = None


def parse_deck(text: str, *, source_name: str = "") -> Deck:
    """Read a Marp deck; raise MarpError with a readable message.

    `source_name` (the file name) is the title of last resort.
    """
    return _DeckReader(text, source_name=source_name).read()
