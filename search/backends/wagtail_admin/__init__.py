"""Wagtail's search backend for the admin, with Gofun's Japanese analysis.

Named by WAGTAILSEARCH_BACKENDS["default"], it answers every search the admin
makes through Wagtail: the page search and explorer, the page chooser, and
the image, document and snippet listings.

Wagtail's database backend (modelsearch) leaves splitting text into words to
SQLite FTS5 or PostgreSQL, which keep a run of Japanese text as one token, so
メール would not find 標的型メール攻撃への備え. This backend is that database
backend with the text analysed in Python by search.analysis (SudachiPy) on
both sides: what it writes to Wagtail's index and what it asks for are the
same space-separated, normalised terms that Gofun's own engine uses.

Lessons are not in Wagtail's index at all (LessonPage.search_fields is
empty). A search over pages asks Gofun's search engine (GOFUN_SEARCH), which
indexes every lesson once, for the lessons, and Wagtail's index for the
other pages (home, series index, series); the union is then filtered and
ordered through the queryset the admin passed in, so its permission filters,
page-type filters and orderings apply unchanged.

modelsearch builds its index rows inside `add_items`, naming its own
ObjectIndexer class, so the vendor modules (sqlite.py, postgres.py) repeat
modelsearch 1.3's `add_items` with an analysing indexer in its place; nothing
else of modelsearch is copied.
"""

from __future__ import annotations

import re
from collections import OrderedDict

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Count, QuerySet
from django.utils.encoding import force_str
from modelsearch.backends.base import BaseSearchResults, EmptySearchResults
from modelsearch.query import (
    And,
    Boost,
    Fuzzy,
    MatchAll,
    Not,
    Or,
    Phrase,
    PlainText,
    SearchQuery,
)

from search.analysis import parse_query, terms

_NOT_WORD = re.compile(r"[\W_]+")


def _clean(analysed_terms) -> str:
    # Query syntax characters never survive into a term.
    return " ".join(
        piece for term in analysed_terms for piece in _NOT_WORD.sub(" ", term).split()
    )


def analysed_text(text: str) -> str:
    """Text as the index holds it: normalised terms, space-separated."""
    return _clean(terms(text))


def analysed_query_text(text: str) -> str:
    """What a person typed as the index holds it, within parse_query's bounds
    (length, words, terms), so no input makes a query expensive."""
    return _clean(token.term for token in parse_query(text).tokens)


def plain_text(value) -> str:
    # As modelsearch's ObjectIndexer.prepare_value, without analysing twice.
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return ", ".join(plain_text(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(plain_text(item) for item in value.values())
    return force_str(value)


def analysed_query(query: SearchQuery) -> SearchQuery | None:
    """The query with every text in it analysed; None when no term is left."""
    if isinstance(query, MatchAll):
        return query
    if isinstance(query, PlainText):
        text = analysed_query_text(query.query_string)
        return (
            PlainText(text, operator=query.operator, boost=query.boost)
            if text
            else None
        )
    if isinstance(query, Fuzzy):
        text = analysed_query_text(query.query_string)
        return (
            Fuzzy(text, operator=query.operator, unaccent=query.unaccent)
            if text
            else None
        )
    if isinstance(query, Phrase):
        text = analysed_query_text(query.query_string)
        return Phrase(text) if text else None
    if isinstance(query, Boost):
        inner = analysed_query(query.subquery)
        return Boost(inner, query.boost) if inner is not None else None
    if isinstance(query, Not):
        inner = analysed_query(query.subquery)
        return Not(inner) if inner is not None else None
    if isinstance(query, (And, Or)):
        parts = [analysed_query(part) for part in query.subqueries]
        parts = [part for part in parts if part is not None]
        if not parts:
            return None
        return type(query)(parts) if len(parts) > 1 else parts[0]
    raise NotImplementedError(f"{type(query).__name__} is not supported")


def query_words(query: SearchQuery) -> str | None:
    """The words a person typed, for Gofun's engine; None for "everything".

    Exclusions (Not) are left out: lessons then match on the other words.
    """
    if isinstance(query, MatchAll):
        return None
    if isinstance(query, (PlainText, Phrase, Fuzzy)):
        return query.query_string
    if isinstance(query, Boost):
        return query_words(query.subquery)
    if isinstance(query, (And, Or)):
        words = [query_words(part) for part in query.subqueries]
        if any(word is None for word in words):
            return None
        return " ".join(words)
    return ""


def _lesson_model():
    from learning_series.models import LessonPage

    return LessonPage


def _holds_lessons(model) -> bool:
    lesson = _lesson_model()
    return issubclass(model, lesson) or issubclass(lesson, model)


class RankedPageResults(BaseSearchResults):
    """Pages matching a search, in the order given by `ranked_ids`.

    `ranked_ids` None means every page of the queryset (an empty admin search).
    Filtering and loading go through the queryset, so whatever the caller
    built into it (permissions, page type, specific(), annotations) holds.
    """

    supports_facet = True

    def __init__(self, backend, query_compiler, prefetch_related=None):
        super().__init__(backend, query_compiler, prefetch_related=prefetch_related)
        self.ranked_ids: list[int] | None = None

    def _clone(self):
        clone = super()._clone()
        clone.ranked_ids = self.ranked_ids
        return clone

    def _matching(self) -> QuerySet:
        queryset = self.query_compiler.queryset
        if self.ranked_ids is not None:
            queryset = queryset.filter(pk__in=self.ranked_ids)
        return queryset

    def _ranked(self) -> bool:
        return self.ranked_ids is not None and self.query_compiler.order_by_relevance

    def _do_count(self) -> int:
        return self._matching().count()

    def _do_search(self) -> list:
        queryset = self._matching()
        if not self._ranked():
            if not queryset.query.order_by:
                queryset = queryset.order_by("-pk")
            return list(queryset[self.start : self.stop])
        allowed = set(queryset.values_list("pk", flat=True))
        page_ids = [pk for pk in self.ranked_ids if pk in allowed]
        page_ids = page_ids[self.start : self.stop]
        loaded = {page.pk: page for page in queryset.filter(pk__in=page_ids)}
        results = [loaded[pk] for pk in page_ids if pk in loaded]
        if self._score_field:
            for position, page in enumerate(results, self.start):
                setattr(page, self._score_field, float(len(allowed) - position))
        return results

    def facet(self, field_name: str) -> OrderedDict:
        model = self.query_compiler.queryset.model
        rows = (
            model._default_manager.filter(pk__in=self._matching().values("pk"))
            .values(field_name)
            .annotate(count=Count("pk"))
            .order_by("-count", field_name)
        )
        return OrderedDict((row[field_name], row["count"]) for row in rows)


class LessonAwareBackend:
    """What both database vendors' backends add to modelsearch's."""

    def _search(self, query_compiler_class, query, model_or_queryset, **kwargs):
        if isinstance(model_or_queryset, QuerySet):
            queryset = model_or_queryset
        else:
            queryset = model_or_queryset.objects.all()
        if query == "" or (
            kwargs.get("fields") is not None and len(kwargs["fields"]) == 0
        ):
            return EmptySearchResults()
        if isinstance(query, str):
            query = PlainText(
                query,
                operator=kwargs.get("operator")
                or query_compiler_class.DEFAULT_OPERATOR,
            )
        analysed = analysed_query(query) if query is not None else None
        if query is not None and analysed is None:
            return EmptySearchResults()
        if not _holds_lessons(queryset.model):
            return super()._search(query_compiler_class, analysed, queryset, **kwargs)
        return self._search_pages(
            query_compiler_class, query, analysed, queryset, kwargs
        )

    def _search_pages(self, query_compiler_class, query, analysed, queryset, kwargs):
        from search.selectors import lesson_ids_for_admin_search

        compiler = query_compiler_class(
            queryset,
            analysed,
            fields=kwargs.get("fields"),
            operator=kwargs.get("operator"),
            order_by_relevance=kwargs.get("order_by_relevance", True),
        )
        results = RankedPageResults(self, compiler)
        words = query_words(query)
        if words is None:
            return results
        prefix = query_compiler_class is self.autocomplete_query_compiler_class
        ranked = []
        if not issubclass(queryset.model, _lesson_model()):
            # Home, series index and series pages, from Wagtail's index.
            matches = compiler.search(compiler.get_config(self), None, None)
            ranked = list(matches.values_list("pk", flat=True))
        seen = set(ranked)
        ranked += [
            pk
            for pk in lesson_ids_for_admin_search(query=words, prefix=prefix)
            if pk not in seen
        ]
        results.ranked_ids = ranked
        return results


def SearchBackend(params: dict):  # noqa: N802 -- the name modelsearch looks up
    """The backend for the database in use, as modelsearch's database backend.

    Each vendor's module is imported only for its own database: modelsearch's
    modules look up the index models of their vendor when imported.
    """
    if connection.vendor == "sqlite":
        from .sqlite import SQLiteAdminSearchBackend

        return SQLiteAdminSearchBackend(params)
    if connection.vendor == "postgresql":
        from .postgres import PostgresAdminSearchBackend

        return PostgresAdminSearchBackend(params)
    raise ImproperlyConfigured(
        f"Gofun's admin search supports SQLite and PostgreSQL, not {connection.vendor}"
    )
