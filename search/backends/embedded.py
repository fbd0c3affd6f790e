"""The embedded engine: full-text search in the project's own database.

Written by hand because Wagtail's database backend (modelsearch) leaves the
tokenising to the database, and neither SQLite FTS5 nor PostgreSQL splits
Japanese into words: 標的型メールの脅威 is one token, so メール finds nothing.
Here the text is analysed in Python (search.analysis, SudachiPy) and the
database only stores and matches the resulting space-separated terms:

* SQLite: an FTS5 table (unicode61, which only splits at our spaces and folds
  nothing further), ranked by bm25 with the title weighted above the headings
  and the body;
* PostgreSQL: a tsvector column with a GIN index, built from a tsvector
  literal rather than to_tsvector(), so no text-search configuration or
  database locale can re-split or drop the terms, ranked by ts_rank with the
  title as weight A, headings B and body D.

Each space-separated query word must match (AND); the terms within a word must
appear in order (a phrase), so 添付ファイル does not match 添付 … ファイル apart.

Every lesson is indexed once. Learners' searches and suggestions read only
the entries marked searchable; page_ids() reads them all for the admin's
page search (search.backends.wagtail_admin).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import islice
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import Case, IntegerField, Value, When
from django.db.models.expressions import RawSQL

from organisation.models import JobRole
from search.analysis import ParsedQuery, fold_title, terms
from search.documents import LessonDocument
from search.models import SearchEntry
from search.snippets import highlight_pattern, snippet

from .base import (
    BaseSearchEngine,
    FacetValue,
    SearchFilters,
    SearchHit,
    SearchResults,
    Suggestion,
)

FTS_TABLE = "gofun_search_fts"
ENTRY_TABLE = SearchEntry._meta.db_table
# More matches than this are not ranked: nobody reads past them, and it keeps
# a one-character query over a large site cheap.
MAX_RANKED_MATCHES = 10_000
_BATCH_SIZE = 200
# tsvector limits: positions run 1..16383, at most 256 per lexeme.
_MAX_POSITION = 16383
_MAX_POSITIONS_PER_TERM = 255


class _Match(NamedTuple):
    page_id: int
    score: float
    series_id: int | None
    series_title: str


def _document_fields(document: LessonDocument) -> dict[str, list[list[str]]]:
    """Each weighted field as a list of passages, each a list of terms."""
    return {
        "title": [terms(document.title)],
        "headings": [
            terms(document.summary),
            terms(" ".join(document.tags)),
            *(terms(title) for title in document.slide_titles),
        ],
        "body": [
            terms(text) for text in (*document.slide_texts, *document.notes) if text
        ],
    }


class _Fts5Store:
    """Terms in an SQLite FTS5 table whose rowid is the page id."""

    def write(self, cursor, page_id: int, fields: dict[str, list[list[str]]]):
        cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [page_id])  # noqa: S608
        cursor.execute(
            f"INSERT INTO {FTS_TABLE} (rowid, title, headings, body) "  # noqa: S608
            "VALUES (%s, %s, %s, %s)",
            [page_id]
            + [
                " ".join(" ".join(passage) for passage in fields[name])
                for name in ("title", "headings", "body")
            ],
        )

    def delete(self, cursor, page_ids: list[int]) -> None:
        for page_id in page_ids:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [page_id])  # noqa: S608

    def delete_all(self, cursor) -> None:
        cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608

    @staticmethod
    def expression(query: ParsedQuery, *, prefix: bool = False) -> str:
        # Every term is a quoted string, so no FTS5 operator can be formed.
        phrases = []
        for word in query.words:
            quoted = " ".join(token.term.replace('"', '""') for token in word)
            phrases.append(f'"{quoted}"')
        if prefix and phrases:
            # FTS5 reads the last token of a phrase followed by * as a prefix.
            phrases[-1] += "*"
        return " AND ".join(phrases)

    def matching_ids_sql(self, query: ParsedQuery) -> tuple[str, list]:
        return (
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",  # noqa: S608
            [self.expression(query)],
        )

    def matches(self, cursor, query: ParsedQuery) -> list[_Match]:
        cursor.execute(
            f"SELECT {FTS_TABLE}.rowid, bm25({FTS_TABLE}, 10.0, 4.0, 1.0), "  # noqa: S608
            f"e.series_id, e.series_title FROM {FTS_TABLE} "
            f"JOIN {ENTRY_TABLE} e ON e.page_id = {FTS_TABLE}.rowid "
            f"WHERE {FTS_TABLE} MATCH %s AND e.searchable ORDER BY 2 LIMIT %s",
            [self.expression(query), MAX_RANKED_MATCHES],
        )
        # bm25() is lower for better matches; scores shown to people rise.
        return [_Match(row[0], -row[1], row[2], row[3]) for row in cursor.fetchall()]

    def page_ids(
        self, cursor, query: ParsedQuery, *, prefix: bool, limit: int
    ) -> list[int]:
        cursor.execute(
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "  # noqa: S608
            f"ORDER BY bm25({FTS_TABLE}, 10.0, 4.0, 1.0), rowid LIMIT %s",
            [self.expression(query, prefix=prefix), limit],
        )
        return [row[0] for row in cursor.fetchall()]


def _lexeme(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


class _TsvectorStore:
    """Terms in a tsvector column of the entry table (PostgreSQL)."""

    WEIGHTS = {"title": "A", "headings": "B", "body": "D"}

    def literal(self, fields: dict[str, list[list[str]]]) -> str:
        positions: dict[str, list[str]] = {}
        position = 0
        for name, weight in self.WEIGHTS.items():
            for passage in fields[name]:
                for term in passage:
                    position = min(position + 1, _MAX_POSITION)
                    entries = positions.setdefault(term, [])
                    if len(entries) < _MAX_POSITIONS_PER_TERM:
                        entries.append(f"{position}{weight}")
                # A gap keeps a phrase from spanning two passages.
                position = min(position + 1, _MAX_POSITION)
        return " ".join(
            f"{_lexeme(term)}:{','.join(entries)}"
            for term, entries in positions.items()
        )

    def write(self, cursor, page_id: int, fields: dict[str, list[list[str]]]):
        cursor.execute(
            f"UPDATE {ENTRY_TABLE} SET search_vector = CAST(%s AS tsvector) "  # noqa: S608
            "WHERE page_id = %s",
            [self.literal(fields), page_id],
        )

    def delete(self, cursor, page_ids: list[int]) -> None:
        """Nothing to do: the vector is deleted with its entry row."""

    def delete_all(self, cursor) -> None:
        """Nothing to do: the vectors are deleted with the entry rows."""

    @staticmethod
    def expression(query: ParsedQuery, *, prefix: bool = False) -> str:
        # Quoted lexemes cast to tsquery: no parser, so no operator syntax.
        phrases = []
        for number, word in enumerate(query.words, 1):
            lexemes = [_lexeme(token.term) for token in word]
            if prefix and number == len(query.words):
                lexemes[-1] += ":*"
            phrases.append("(" + " <-> ".join(lexemes) + ")")
        return " & ".join(phrases)

    def matching_ids_sql(self, query: ParsedQuery) -> tuple[str, list]:
        return (
            f"SELECT page_id FROM {ENTRY_TABLE} "  # noqa: S608
            "WHERE search_vector @@ CAST(%s AS tsquery)",
            [self.expression(query)],
        )

    def matches(self, cursor, query: ParsedQuery) -> list[_Match]:
        cursor.execute(
            "SELECT page_id, ts_rank('{0.1, 0.2, 0.4, 1.0}', search_vector, q), "  # noqa: S608
            f"series_id, series_title FROM {ENTRY_TABLE}, CAST(%s AS tsquery) AS q "
            "WHERE search_vector @@ q AND searchable ORDER BY 2 DESC LIMIT %s",
            [self.expression(query), MAX_RANKED_MATCHES],
        )
        return [_Match(*row) for row in cursor.fetchall()]

    def page_ids(
        self, cursor, query: ParsedQuery, *, prefix: bool, limit: int
    ) -> list[int]:
        cursor.execute(
            "SELECT page_id FROM "  # noqa: S608
            f"{ENTRY_TABLE}, CAST(%s AS tsquery) AS q WHERE search_vector @@ q "
            "ORDER BY ts_rank('{0.1, 0.2, 0.4, 1.0}', search_vector, q) DESC, "
            "page_id LIMIT %s",
            [self.expression(query, prefix=prefix), limit],
        )
        return [row[0] for row in cursor.fetchall()]


def _store():
    if connection.vendor == "postgresql":
        return _TsvectorStore()
    if connection.vendor == "sqlite":
        return _Fts5Store()
    raise NotImplementedError(f"No embedded search for {connection.vendor}")


def _batches(items: Iterable, size: int):
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


class EmbeddedSearchEngine(BaseSearchEngine):
    """Search in the project's database; needs no service of its own."""

    def index(self, documents: Iterable[LessonDocument]) -> int:
        written = 0
        roles = dict(JobRole.objects.values_list("code", "pk"))
        store = _store()
        for batch in _batches(documents, _BATCH_SIZE):
            # Analyse outside the transaction: SQLite holds its write lock
            # for as long as a transaction lasts.
            analysed = [(document, _document_fields(document)) for document in batch]
            with transaction.atomic(), connection.cursor() as cursor:
                for document, fields in analysed:
                    self._write(cursor, store, roles, document, fields)
            written += len(batch)
        return written

    def _write(self, cursor, store, roles, document: LessonDocument, fields) -> None:
        entry, _ = SearchEntry.objects.update_or_create(
            page_id=document.page_id,
            defaults={
                "title": document.title[:255],
                "title_folded": fold_title(document.title)[:255],
                "summary": document.summary,
                "tags": " ".join(document.tags),
                "slide_titles": "\n".join(document.slide_titles),
                "body": document.body,
                "url": document.url,
                "series_id": document.series_id,
                "series_title": document.series_title[:255],
                "first_published_at": document.first_published_at,
                "last_published_at": document.last_published_at,
                "searchable": document.searchable,
            },
        )
        entry.job_roles.set(
            [roles[code] for code in document.job_role_codes if code in roles]
        )
        store.write(cursor, document.page_id, fields)

    def remove(self, page_ids: Iterable[int]) -> None:
        page_ids = list(page_ids)
        with transaction.atomic(), connection.cursor() as cursor:
            SearchEntry.objects.filter(page_id__in=page_ids).delete()
            _store().delete(cursor, page_ids)

    def rebuild(self, documents: Iterable[LessonDocument]) -> int:
        # Rewrite in short batches, then drop what is no longer there, so
        # searches keep answering while a rebuild runs.
        indexed: set[int] = set()

        def remember(documents):
            for document in documents:
                indexed.add(document.page_id)
                yield document

        written = self.index(remember(documents))
        stale = set(SearchEntry.objects.values_list("page_id", flat=True)) - indexed
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(f"SELECT rowid FROM {FTS_TABLE}")  # noqa: S608
                stale |= {row[0] for row in cursor.fetchall()} - indexed
        for batch in _batches(sorted(stale), _BATCH_SIZE):
            self.remove(batch)
        return written

    def search(
        self,
        query: ParsedQuery,
        *,
        filters: SearchFilters,
        offset: int = 0,
        limit: int = 10,
    ) -> SearchResults:
        if query.is_empty:
            return SearchResults()
        store = _store()
        with connection.cursor() as cursor:
            matches = store.matches(cursor, query)
        if not matches:
            return SearchResults()
        # One ranked read of the matches, one of their job roles; filters and
        # facet counts are worked out here rather than by re-running the
        # full-text match once per facet.
        roles_by_page: dict[int, set[str]] = defaultdict(set)
        for page_id, code in SearchEntry.job_roles.through.objects.filter(
            # Table names are constants and the query is a bound parameter.
            searchentry_id__in=RawSQL(*store.matching_ids_sql(query))  # noqa: S611
        ).values_list("searchentry_id", "jobrole__code"):
            roles_by_page[page_id].add(code)

        def in_series(match: _Match) -> bool:
            return not filters.series_id or match.series_id == filters.series_id

        def with_role(match: _Match) -> bool:
            return (
                not filters.job_role or filters.job_role in roles_by_page[match.page_id]
            )

        ranked = sorted(
            (match for match in matches if in_series(match) and with_role(match)),
            key=lambda match: (-match.score, match.page_id),
        )
        series_counts = Counter(
            (match.series_id, match.series_title)
            for match in matches
            if match.series_id is not None and with_role(match)
        )
        role_counts = Counter(
            code
            for match in matches
            if in_series(match)
            for code in roles_by_page[match.page_id]
        )
        role_names = dict(
            JobRole.objects.filter(code__in=role_counts).values_list("code", "name")
        )
        scores = {match.page_id: match.score for match in ranked}
        ranked = [match.page_id for match in ranked]
        page_ids = ranked[offset : offset + limit]
        entries = SearchEntry.objects.in_bulk(page_ids)
        pattern = highlight_pattern(query.tokens)
        hits = [
            SearchHit(
                page_id=page_id,
                title=entries[page_id].title,
                url=entries[page_id].url,
                score=round(float(scores[page_id]), 6),
                snippet=snippet(
                    [
                        entries[page_id].body,
                        entries[page_id].summary,
                        entries[page_id].slide_titles,
                    ],
                    pattern,
                ),
                series_title=entries[page_id].series_title,
            )
            for page_id in page_ids
            if page_id in entries
        ]
        return SearchResults(
            total=len(ranked),
            hits=hits,
            series_facets=[
                FacetValue(value=str(series_id), label=title, count=count)
                for (series_id, title), count in sorted(
                    series_counts.items(), key=lambda item: (-item[1], item[0][1])
                )
            ],
            job_role_facets=[
                FacetValue(value=code, label=role_names.get(code, code), count=count)
                for code, count in sorted(
                    role_counts.items(),
                    key=lambda item: (-item[1], role_names.get(item[0], item[0])),
                )
            ],
        )

    def suggest(self, text: str, *, limit: int = 8) -> list[Suggestion]:
        folded = fold_title(text).strip()
        if not folded:
            return []
        rows = (
            SearchEntry.objects.filter(searchable=True, title_folded__contains=folded)
            .annotate(
                starts=Case(
                    When(title_folded__startswith=folded, then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                )
            )
            .order_by("starts", "title")
            .values_list("title", "url", "page_id")[:limit]
        )
        return [
            Suggestion(title=title, url=url, page_id=page_id)
            for title, url, page_id in rows
        ]

    def page_ids(
        self, query: ParsedQuery, *, prefix: bool = False, limit: int = 1000
    ) -> list[int]:
        if query.is_empty:
            return []
        with connection.cursor() as cursor:
            return _store().page_ids(cursor, query, prefix=prefix, limit=limit)
