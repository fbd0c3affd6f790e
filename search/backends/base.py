"""The engine interface every search backend implements, and how one is chosen.

Like Wagtail's own search backends, the engine is named by a dotted path in a
setting: GOFUN_SEARCH = {"BACKEND": "search.backends.embedded.EmbeddedSearchEngine",
...}; the other keys are the engine's own parameters.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString

from search.analysis import ParsedQuery
from search.documents import LessonDocument

DEFAULT_BACKEND = "search.backends.embedded.EmbeddedSearchEngine"


@dataclass(frozen=True)
class SearchHit:
    page_id: int
    title: str
    url: str
    score: float
    snippet: SafeString
    series_title: str


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class SearchFilters:
    """Filters a person chose: a series (page id) and a job role (code)."""

    series_id: int | None = None
    job_role: str = ""


@dataclass
class SearchResults:
    total: int = 0
    hits: list[SearchHit] = field(default_factory=list)
    series_facets: list[FacetValue] = field(default_factory=list)
    job_role_facets: list[FacetValue] = field(default_factory=list)


@dataclass(frozen=True)
class Suggestion:
    title: str
    url: str
    page_id: int | None = None


class BaseSearchEngine:
    """A place where lessons are indexed and searched."""

    def __init__(self, params: dict):
        self.params = params

    def index(self, documents: Iterable[LessonDocument]) -> int:
        """Add or replace these lessons; return how many were written."""
        raise NotImplementedError

    def remove(self, page_ids: Iterable[int]) -> None:
        """Forget these pages, whether or not they were indexed."""
        raise NotImplementedError

    def rebuild(self, documents: Iterable[LessonDocument]) -> int:
        """Replace the whole index with these lessons; return how many."""
        raise NotImplementedError

    def search(
        self,
        query: ParsedQuery,
        *,
        filters: SearchFilters,
        offset: int = 0,
        limit: int = 10,
    ) -> SearchResults:
        """Lessons matching every word of the query, best first, with facets."""
        raise NotImplementedError

    def suggest(self, text: str, *, limit: int = 8) -> list[Suggestion]:
        """Lesson titles containing what a person has typed so far."""
        raise NotImplementedError

    def page_ids(
        self, query: ParsedQuery, *, prefix: bool = False, limit: int = 1000
    ) -> list[int]:
        """Ids of every indexed lesson matching every word, best first.

        Unlike search() and suggest(), this includes lessons learners may not
        find: it answers the admin, whose page permissions decide what is
        shown. With `prefix`, the last term of the last word may begin a
        longer term (search as you type).
        """
        raise NotImplementedError


def get_search_engine() -> BaseSearchEngine:
    """The engine the GOFUN_SEARCH setting names (the embedded one by default)."""
    config = dict(getattr(settings, "GOFUN_SEARCH", {}) or {})
    backend = config.pop("BACKEND", DEFAULT_BACKEND)
    return import_string(backend)(config)
