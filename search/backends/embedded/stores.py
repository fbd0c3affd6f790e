"""How the embedded engine keeps and matches analysed terms: an SQLite FTS5
table, or a tsvector column of the entry table on PostgreSQL (see the
engine, search.backends.embedded, for why the terms are analysed in Python).

Both stores rank the same way: a bounded slice of the matches (`ranked`,
`nth_newest`), read through `matched`, the searchable entries `e` matching a
query.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice

from django.db import connection

from organisation.models import JobRole
from search.analysis import ParsedQuery
from search.models import SearchEntry

FTS_TABLE = "gofun_search_fts"
ENTRY_TABLE = SearchEntry._meta.db_table
ENTRY_ROLES_TABLE = SearchEntry.job_roles.through._meta.db_table
ROLE_TABLE = JobRole._meta.db_table
# The columns a search reads of every match, beside the rows that hold the
# lessons' text (SearchEntry.Meta.indexes).
ENTRY_FACETS_INDEX = "gofun_search_entry_facets"
BATCH_SIZE = 200
# tsvector limits: positions run 1..16383, at most 256 per lexeme.
_MAX_POSITION = 16383
_MAX_POSITIONS_PER_TERM = 255


def batches(items: Iterable, size: int):
    """Lists of up to `size` items, in order."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


class _Store:
    """What both stores share: ranking a bounded slice of the matches.

    A store says how its matches are read (`matched`), which column holds
    their page id (KEY) and how a match is scored, higher being better
    (SCORE).
    """

    KEY = ""
    SCORE = ""

    def matched(self, query: ParsedQuery, *, join: str = "") -> tuple[str, list]:
        """FROM … WHERE … of the searchable entries `e` matching the query,
        with `join` (JOIN clauses on `e`) added to the FROM."""
        raise NotImplementedError

    def _slice(self, query: ParsedQuery, where: str, params: list, newest):
        at_least, below = newest
        matched, matched_params = self.matched(query)
        sql, params = f"{matched}{where}", [*matched_params, *params]
        if at_least is not None:
            sql += f" AND {self.KEY} >= %s"
            params.append(at_least)
        if below is not None:
            sql += f" AND {self.KEY} < %s"
            params.append(below)
        return sql, params

    def ranked(
        self,
        cursor,
        query: ParsedQuery,
        *,
        where: str,
        params: list,
        offset: int,
        limit: int,
        newest: tuple[int | None, int | None] = (None, None),
    ) -> list[tuple[int, float]]:
        """(page id, score) of the best matches, `limit` from `offset`, among
        page ids from newest[0] (inclusive) to newest[1] (exclusive)."""
        matched, matched_params = self._slice(query, where, params, newest)
        cursor.execute(
            f"SELECT {self.KEY}, {self.SCORE} {matched} "  # noqa: S608
            "ORDER BY 2 DESC, 1 LIMIT %s OFFSET %s",
            [*matched_params, limit, offset],
        )
        return cursor.fetchall()

    def nth_newest(
        self, cursor, query: ParsedQuery, *, where: str, params: list, number: int
    ) -> int | None:
        """The page id of the `number`-th newest match."""
        matched, matched_params = self._slice(query, where, params, (None, None))
        cursor.execute(
            f"SELECT {self.KEY} {matched} "  # noqa: S608
            f"ORDER BY {self.KEY} DESC LIMIT 1 OFFSET %s",
            [*matched_params, number - 1],
        )
        row = cursor.fetchone()
        return row[0] if row else None


class _Fts5Store(_Store):
    """Terms in an SQLite FTS5 table whose rowid is the page id."""

    KEY = f"{FTS_TABLE}.rowid"
    # bm25() is lower for better matches; scores shown to people rise.
    SCORE = f"-bm25({FTS_TABLE}, 10.0, 4.0, 1.0)"

    def write_many(self, cursor, rows: list[tuple[int, dict]]) -> None:
        self.delete(cursor, [page_id for page_id, _ in rows])
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE} (rowid, title, headings, body) "  # noqa: S608
            "VALUES (%s, %s, %s, %s)",
            [
                [page_id]
                + [
                    " ".join(" ".join(passage) for passage in fields[name])
                    for name in ("title", "headings", "body")
                ]
                for page_id, fields in rows
            ],
        )

    def delete(self, cursor, page_ids: list[int]) -> None:
        for batch in batches(page_ids, BATCH_SIZE):
            cursor.execute(
                f"DELETE FROM {FTS_TABLE} WHERE rowid IN "  # noqa: S608
                f"({', '.join(['%s'] * len(batch))})",
                batch,
            )

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

    def matched(self, query: ParsedQuery, *, join: str = "") -> tuple[str, list]:
        # Each entry is read from the narrow covering index, not from the row
        # that holds the lesson's text (which SQLite's planner cannot tell).
        return (
            f"FROM {FTS_TABLE} JOIN {ENTRY_TABLE} e "  # noqa: S608
            f"INDEXED BY {ENTRY_FACETS_INDEX} ON e.page_id = {FTS_TABLE}.rowid{join} "
            f"WHERE {FTS_TABLE} MATCH %s AND e.searchable",
            [self.expression(query)],
        )

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


class _TsvectorStore(_Store):
    """Terms in a tsvector column of the entry table (PostgreSQL)."""

    KEY = "e.page_id"
    SCORE = "ts_rank('{0.1, 0.2, 0.4, 1.0}', e.search_vector, q)"
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

    def write_many(self, cursor, rows: list[tuple[int, dict]]) -> None:
        cursor.executemany(
            f"UPDATE {ENTRY_TABLE} SET search_vector = CAST(%s AS tsvector) "  # noqa: S608
            "WHERE page_id = %s",
            [[self.literal(fields), page_id] for page_id, fields in rows],
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

    def matched(self, query: ParsedQuery, *, join: str = "") -> tuple[str, list]:
        return (
            f"FROM {ENTRY_TABLE} e{join}, CAST(%s AS tsquery) AS q "  # noqa: S608
            "WHERE e.search_vector @@ q AND e.searchable",
            [self.expression(query)],
        )

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


def current_store() -> _Store:
    """The store of the database in use."""
    if connection.vendor == "postgresql":
        return _TsvectorStore()
    if connection.vendor == "sqlite":
        return _Fts5Store()
    raise NotImplementedError(f"No embedded search for {connection.vendor}")
