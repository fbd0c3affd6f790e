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

A search costs a fixed number of queries however many lessons match: one
GROUP BY over the match set for the series facets (and the total), one for
the job-role facets, the ranking, which keeps only the page shown (the
database's sorter keeps the top offset + limit rows) and ranks a bounded
number of matches (the newest few thousand, see _ranked), then the
entries shown and the series' titles. On SQLite the match set is read from a
narrow covering index of the entries rather than from their rows, which hold
the lessons' text (search.backends.embedded.stores). Rows are written in
batches: one upsert of the entries, one of their job roles and one of their
terms per batch.

Every lesson is indexed once. Learners' searches and suggestions read only
the entries marked searchable; page_ids() reads them all for the admin's
page search (search.backends.wagtail_admin).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Case, IntegerField, Value, When
from wagtail.models import Page

from organisation.models import JobRole
from search.analysis import ParsedQuery, fold_title, terms
from search.documents import LessonDocument
from search.models import SearchEntry
from search.snippets import highlight_pattern, snippet

from ..base import (
    BaseSearchEngine,
    FacetValue,
    SearchFilters,
    SearchHit,
    SearchResults,
    Suggestion,
)
from .stores import (
    BATCH_SIZE,
    ENTRY_ROLES_TABLE,
    FTS_TABLE,
    ROLE_TABLE,
    batches,
    current_store,
)

# Written with the entry table's alias `e`; %s placeholders, bound values.
_SERIES_FILTER = "e.series_id = %s"
_ROLE_FILTER = (
    f"EXISTS (SELECT 1 FROM {ENTRY_ROLES_TABLE} t "  # noqa: S608
    f"JOIN {ROLE_TABLE} r ON r.id = t.jobrole_id "
    "WHERE t.searchentry_id = e.page_id AND r.code = %s)"
)


_ROLE_JOIN = (
    f" JOIN {ENTRY_ROLES_TABLE} t ON t.searchentry_id = e.page_id"
    f" JOIN {ROLE_TABLE} r ON r.id = t.jobrole_id"
)


def _filters(*, series_id: int | None = None, job_role: str = "") -> tuple[str, list]:
    """SQL to AND onto a match over entries `e`, with its parameters."""
    clauses, params = [], []
    if series_id:
        clauses.append(_SERIES_FILTER)
        params.append(series_id)
    if job_role:
        clauses.append(_ROLE_FILTER)
        params.append(job_role)
    return "".join(f" AND {clause}" for clause in clauses), params


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


# Every field of an entry a new document replaces.
_ENTRY_FIELDS = [
    "title",
    "title_folded",
    "summary",
    "tags",
    "slide_titles",
    "body",
    "url",
    "series",
    "series_title",
    "first_published_at",
    "last_published_at",
    "searchable",
]


def _ranked(
    store,
    cursor,
    query: ParsedQuery,
    *,
    where: str,
    params: list,
    offset: int,
    limit: int,
    total: int,
    candidates: int,
) -> list[tuple[int, float]]:
    """(page id, score) of results offset … offset + limit of `total` matches.

    Up to `candidates` matches are ranked as one list. Beyond, the results
    are the newest `candidates` matches ranked, then the older ones ranked,
    so a first page ranks a bounded number of matches whatever the size of
    the site, every match still has one place in the order, and the total
    and the facets still count every match.
    """
    if not limit or offset >= total:
        return []
    if total <= candidates:
        return store.ranked(
            cursor, query, where=where, params=params, offset=offset, limit=limit
        )
    newest = store.nth_newest(
        cursor, query, where=where, params=params, number=candidates
    )
    rows = []
    if offset < candidates:
        rows += store.ranked(
            cursor,
            query,
            where=where,
            params=params,
            offset=offset,
            limit=min(limit, candidates - offset),
            newest=(newest, None),
        )
    older = offset + limit - max(offset, candidates)
    if older > 0:
        rows += store.ranked(
            cursor,
            query,
            where=where,
            params=params,
            offset=max(offset - candidates, 0),
            limit=older,
            newest=(None, newest),
        )
    return rows


class EmbeddedSearchEngine(BaseSearchEngine):
    """Search in the project's database; needs no service of its own.

    Parameters (GOFUN_SEARCH): RANKED_CANDIDATES, how many of the newest
    matches a first page ranks when more match (see _ranked; by default the
    store's own figure, RANKED_CANDIDATES of search.backends.embedded.stores).
    """

    def __init__(self, params: dict):
        super().__init__(params)
        chosen = params.get("RANKED_CANDIDATES")
        self.ranked_candidates = max(int(chosen), 1) if chosen else None

    def index(self, documents: Iterable[LessonDocument]) -> int:
        written = 0
        roles = dict(JobRole.objects.values_list("code", "pk"))
        store = current_store()
        for batch in batches(documents, BATCH_SIZE):
            # Analyse outside the transaction: SQLite holds its write lock
            # for as long as a transaction lasts.
            analysed = [
                (document.page_id, _document_fields(document), document.searchable)
                for document in batch
            ]
            with transaction.atomic(), connection.cursor() as cursor:
                self._write_entries(batch, roles)
                store.write_many(cursor, analysed)
            written += len(batch)
        return written

    @staticmethod
    def _write_entries(batch: list[LessonDocument], roles: dict[str, int]) -> None:
        """Insert or replace the batch's entries and their job roles."""
        # The last document of a page wins, as when each replaced the one before.
        documents = {document.page_id: document for document in batch}
        SearchEntry.objects.bulk_create(
            [
                SearchEntry(
                    page_id=document.page_id,
                    title=document.title[:255],
                    title_folded=fold_title(document.title)[:255],
                    summary=document.summary,
                    tags=" ".join(document.tags),
                    slide_titles="\n".join(document.slide_titles),
                    body=document.body,
                    url=document.url,
                    series_id=document.series_id,
                    series_title=document.series_title[:255],
                    first_published_at=document.first_published_at,
                    last_published_at=document.last_published_at,
                    searchable=document.searchable,
                )
                for document in documents.values()
            ],
            update_conflicts=True,
            unique_fields=["page"],
            update_fields=_ENTRY_FIELDS,
        )
        through = SearchEntry.job_roles.through
        through.objects.filter(searchentry_id__in=list(documents)).delete()
        through.objects.bulk_create(
            [
                through(searchentry_id=document.page_id, jobrole_id=roles[code])
                for document in documents.values()
                for code in dict.fromkeys(document.job_role_codes)
                if code in roles
            ]
        )

    def remove(self, page_ids: Iterable[int]) -> None:
        page_ids = list(page_ids)
        with transaction.atomic(), connection.cursor() as cursor:
            SearchEntry.objects.filter(page_id__in=page_ids).delete()
            current_store().delete(cursor, page_ids)

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
        for batch in batches(sorted(stale), BATCH_SIZE):
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
        store = current_store()
        matched, params = store.matched(query)
        with_roles, with_roles_params = store.matched(query, join=_ROLE_JOIN)
        series_filter, series_params = _filters(series_id=filters.series_id)
        role_filter, role_params = _filters(job_role=filters.job_role)
        with store.search_transaction(), connection.cursor() as cursor:
            store.before_counting(cursor)
            # Each facet counts the matches under the other facet's filter.
            # By id alone: carrying each match's series title through the
            # grouping costs more than reading the few titles afterwards.
            cursor.execute(
                f"SELECT e.series_id, COUNT(*) {matched}{role_filter} "  # noqa: S608
                "GROUP BY e.series_id",
                [*params, *role_params],
            )
            series_counts = cursor.fetchall()
            cursor.execute(
                "SELECT r.code, r.name, COUNT(*) "  # noqa: S608
                f"{with_roles}{series_filter} GROUP BY r.code, r.name",
                [*with_roles_params, *series_params],
            )
            role_counts = cursor.fetchall()
            # The series facet's counts hold the role filter already.
            total = sum(
                count
                for series_id, count in series_counts
                if not filters.series_id or series_id == filters.series_id
            )
            candidates = self.ranked_candidates or store.RANKED_CANDIDATES
            store.before_ranking(cursor, matches=total, candidates=candidates)
            ranked = _ranked(
                store,
                cursor,
                query,
                where=series_filter + role_filter,
                params=[*series_params, *role_params],
                offset=max(offset, 0),
                limit=max(limit, 0),
                total=total,
                candidates=candidates,
            )
        entries = SearchEntry.objects.in_bulk([page_id for page_id, _ in ranked])
        series_titles = dict(
            Page.objects.filter(
                pk__in=[series_id for series_id, _ in series_counts if series_id]
            ).values_list("pk", "title")
        )
        pattern = highlight_pattern(query.tokens)
        hits = [
            SearchHit(
                page_id=page_id,
                title=entries[page_id].title,
                url=entries[page_id].url,
                score=round(float(score), 6),
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
            for page_id, score in ranked
            if page_id in entries
        ]
        return SearchResults(
            total=total,
            hits=hits,
            series_facets=[
                FacetValue(value=str(series_id), label=title, count=count)
                for series_id, title, count in sorted(
                    (
                        (series_id, series_titles.get(series_id, ""), count)
                        for series_id, count in series_counts
                        if series_id is not None
                    ),
                    key=lambda row: (-row[2], row[1]),
                )
            ],
            job_role_facets=[
                FacetValue(value=code, label=name, count=count)
                for code, name, count in sorted(
                    role_counts, key=lambda row: (-row[2], row[1])
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
            return current_store().page_ids(cursor, query, prefix=prefix, limit=limit)
