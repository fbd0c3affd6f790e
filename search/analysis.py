"""Japanese text analysis shared by indexing and querying: one analyser, both sides.

Text is folded for width and case (NFKC: ＵＳＢ → usb, ｸﾗｳﾄﾞ → クラウド), split
into the shortest units of SudachiPy's core dictionary (mode A, so 添付ファイル
is 添付 + ファイル and a word of one or two characters is a token of its own),
and each unit is replaced by Sudachi's normalised form, which unifies spelling
variants (サーバ → サーバー, コンピュータ → コンピューター) and inflections.
Punctuation and whitespace are dropped, so operator characters of any search
syntax never reach a query.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass

from sudachipy import Dictionary, SplitMode

# Bounds on the work one query can cause, whatever a person types.
MAX_QUERY_CHARACTERS = 200
MAX_QUERY_WORDS = 8
MAX_TOKENS_PER_WORD = 12
MAX_TOKEN_CHARACTERS = 64

# Sudachi refuses inputs above 49,149 bytes; lessons are split into pieces
# well below that, at line ends where possible.
_MAX_CHUNK_CHARACTERS = 4000

_SKIPPED_PARTS_OF_SPEECH = frozenset({"補助記号", "空白"})
_CONTROL_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
# What str.isspace() and str.isalnum() accept, as patterns run in C.
_SPACE = re.compile(r"\s")
_ALPHANUMERIC = re.compile(r"[^\W_]")
# Half-width katakana voiced marks combine with the preceding character.
_NORMALISATION_UNIT = re.compile(r".[\uFF9E\uFF9F]?", re.DOTALL)
_WHITESPACE = re.compile(r"\s+")
_NOT_ALPHANUMERIC = re.compile(r"[\W_]+")
# Boolean operators as search boxes spell them; as words they would make a
# query require "or" and find nothing.
_OPERATOR_WORDS = frozenset({"AND", "OR", "NOT", "&&", "||"})
# A katakana word of three or more characters ending in a long-vowel mark:
# the mark is a spelling choice (サーバー / サーバ), so titles compared as typed
# ignore it. The same rule is kuromoji_stemmer's.
_TRAILING_LONG_VOWEL = re.compile(r"(?<=[ァ-ヺ][ァ-ヺー][ァ-ヺー])ー+(?![ァ-ヺー])")

_local = threading.local()


def _analyser():
    """This thread's tokenizer and its matcher for the parts of speech skipped.

    Prepared once per thread: a Sudachi tokenizer is not safe to share
    between threads, and the dictionary is memory-mapped, so one per thread
    costs little. The matcher tests a morpheme's part of speech by its id,
    without building the six strings of part_of_speech() for every morpheme.
    """
    analyser = getattr(_local, "analyser", None)
    if analyser is None:
        dictionary = Dictionary(dict="core")
        analyser = (
            dictionary.tokenizer(mode=SplitMode.A),
            dictionary.pos_matcher(
                lambda part_of_speech: part_of_speech[0] in _SKIPPED_PARTS_OF_SPEECH
            ),
        )
        _local.analyser = analyser
    return analyser


def remove_control_characters(text: str) -> str:
    """Text without control, format or unpaired surrogate characters.

    Whitespace controls (tab, newline) become spaces so they still separate words.
    """
    spaced = _SPACE.sub(" ", text)
    if spaced.isprintable():
        # Nothing left to remove (the usual case): once every space is " ",
        # isprintable() is false exactly for the categories removed below.
        return spaced
    return "".join(
        character
        for character in spaced
        if unicodedata.category(character) not in _CONTROL_CATEGORIES
    )


def fold(text: str) -> str:
    """Width- and case-folded text (NFKC, lower case)."""
    return unicodedata.normalize("NFKC", text).lower()


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """Folded text and, for each of its characters, the offset it came from."""
    pieces: list[str] = []
    offsets: list[int] = []
    for match in _NORMALISATION_UNIT.finditer(text):
        folded = fold(match.group())
        pieces.append(folded)
        offsets.extend([match.start()] * len(folded))
    return "".join(pieces), offsets


def fold_title(text: str) -> str:
    """A title folded for matching what a person is typing (suggestions)."""
    return _TRAILING_LONG_VOWEL.sub("", fold(remove_control_characters(text)))


def _chunks(text: str) -> list[str]:
    chunks = []
    while len(text) > _MAX_CHUNK_CHARACTERS:
        cut = text.rfind("\n", 0, _MAX_CHUNK_CHARACTERS)
        if cut <= 0:
            cut = _MAX_CHUNK_CHARACTERS
        chunks.append(text[:cut])
        text = text[cut:]
    chunks.append(text)
    return chunks


@dataclass(frozen=True)
class Token:
    """One analysed unit: the normalised term and the text it was written as."""

    term: str
    surface: str


def _morphemes(text: str):
    """The morphemes of a text kept as terms: (normalised term, morpheme)."""
    tokenizer, skipped = _analyser()
    folded = fold(remove_control_characters(text))
    for chunk in _chunks(folded):
        if not chunk.strip():
            continue
        for morpheme in tokenizer.tokenize(chunk):
            if skipped(morpheme):
                continue
            term = morpheme.normalized_form().lower()[:MAX_TOKEN_CHARACTERS]
            if _ALPHANUMERIC.search(term):
                yield term, morpheme


def analyse(text: str) -> list[Token]:
    """The tokens of a text, in order, after folding and normalisation."""
    return [
        Token(term=term, surface=morpheme.surface())
        for term, morpheme in _morphemes(text)
    ]


def terms(text: str) -> list[str]:
    """The normalised terms of a text, in order (what the index stores)."""
    return [term for term, _ in _morphemes(text)]


@dataclass(frozen=True)
class ParsedQuery:
    """A query as the engines see it: words that must all match, each a phrase.

    `text` is the cleaned query (what is logged and shown back); `words` holds,
    for each space-separated word, its tokens in order; `phrases` holds the
    same words as folded text with every non-alphanumeric character turned
    into a space, for engines that analyse text themselves.
    """

    text: str
    words: tuple[tuple[Token, ...], ...]
    phrases: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.words

    @property
    def tokens(self) -> list[Token]:
        return [token for word in self.words for token in word]


def parse_query(raw: str) -> ParsedQuery:
    """Clean and analyse what a person typed, within fixed bounds.

    Control characters are removed, the text is cut to MAX_QUERY_CHARACTERS
    before any analysis, the operator words AND, OR and NOT are dropped, and
    at most MAX_QUERY_WORDS words of at most
    MAX_TOKENS_PER_WORD tokens are kept, so no input makes a query expensive.
    """
    cleaned = remove_control_characters(raw[: MAX_QUERY_CHARACTERS * 4])
    cleaned = _WHITESPACE.sub(" ", cleaned).strip()[:MAX_QUERY_CHARACTERS].strip()
    words, phrases = [], []
    for written in cleaned.split():
        if written in _OPERATOR_WORDS:
            continue  # every word is required anyway; OR cannot be honoured
        word = fold(written)
        tokens = tuple(analyse(word)[:MAX_TOKENS_PER_WORD])
        if tokens and tokens not in words:
            words.append(tokens)
            phrases.append(_NOT_ALPHANUMERIC.sub(" ", word).strip())
        if len(words) == MAX_QUERY_WORDS:
            break
    return ParsedQuery(text=cleaned, words=tuple(words), phrases=tuple(phrases))
