"""How the embedded engine keeps and matches analysed terms: an SQLite FTS5
table, or a tsvector column of the entry table on PostgreSQL (see the
engine, search.backends.embedded, for why the terms are analysed in Python).

Both stores rank the same way: a bounded slice of the matches (`ranked`,
`nth_newest`), read through `matched`, the searchable entries `e` matching a
query.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import nullcontext
from itertools import islice

from django.db import connection, transaction

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
# PostgreSQL: the lexeme every vector of a lesson learners may find holds.
# Analysis drops control characters, so no term can be it.
SEARCHABLE_LEXEME = "\x01searchable"
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
    # When more lessons match, the first pages rank the newest this many
    # matches (and further pages the older ones): ranking every match of a
    # one-word query over a large site costs more than the page is worth.
    RANKED_CANDIDATES = 0

    def matched(self, query: ParsedQuery, *, join: str = "") -> tuple[str, list]:
        """FROM … WHERE … of the searchable entries `e` matching the query,
        with `join` (JOIN clauses on `e`) added to the FROM."""
        raise NotImplementedError

    def search_transaction(self):
        """What a search's queries run in (a transaction where they set
        anything up for themselves)."""
        return nullcontext()

    def before_counting(self, cursor) -> None:
        """Set up the search's transaction for counting every match."""

    def before_ranking(self, cursor, *, matches: int, candidates: int) -> None:
        """Set up the search's transaction for ranking a slice of `matches`."""

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
    # bm25 costs well under a microsecond a match: every match of a site of
    # this size is ranked.
    RANKED_CANDIDATES = 5_000

    def write_many(self, cursor, rows: list[tuple[int, dict, bool]]) -> None:
        """Write (page id, fields, searchable) rows' terms."""
        self.delete(cursor, [page_id for page_id, _, _ in rows])
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE} (rowid, title, headings, body) "  # noqa: S608
            "VALUES (%s, %s, %s, %s)",
            [
                [page_id]
                + [
                    " ".join(" ".join(passage) for passage in fields[name])
                    for name in ("title", "headings", "body")
                ]
                for page_id, fields, _ in rows
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


def bigram(first: str, second: str) -> str:
    """The lexeme of two neighbouring terms (terms hold no spaces)."""
    return f"{first} {second}"


def _lexeme(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


class _TsvectorStore(_Store):
    """Terms in a tsvector column of the entry table (PostgreSQL)."""

    KEY = "e.page_id"
    # Ranked by the query as typed (`typed`), without the searchable mark.
    SCORE = "ts_rank('{0.1, 0.2, 0.4, 1.0}', e.search_vector, typed)"
    # ts_rank reads each candidate's whole vector, stored out of line.
    RANKED_CANDIDATES = 1_000
    WEIGHTS = {"title": "A", "headings": "B", "body": "D"}

    def literal(
        self, fields: dict[str, list[list[str]]], *, searchable: bool = True
    ) -> str:
        """The tsvector of a lesson: each term at its positions, and each pair
        of neighbouring terms in a passage as one more lexeme ("個人 情報") at
        the first one's position, so a phrase of two terms is a lexeme the
        GIN index answers alone, without reading any vector; and, for a
        lesson learners may find, SEARCHABLE_LEXEME, so that the index alone
        answers "searchable and matching" too."""
        positions: dict[str, list[str]] = {}

        def add(lexeme: str, entry: str) -> None:
            entries = positions.setdefault(lexeme, [])
            if len(entries) < _MAX_POSITIONS_PER_TERM:
                entries.append(entry)

        position = 0
        for name, weight in self.WEIGHTS.items():
            for passage in fields[name]:
                previous = None
                for term in passage:
                    position = min(position + 1, _MAX_POSITION)
                    add(term, f"{position}{weight}")
                    if previous is not None and position < _MAX_POSITION:
                        add(bigram(previous, term), f"{position - 1}{weight}")
                    previous = term
                # A gap keeps a phrase from spanning two passages.
                position = min(position + 1, _MAX_POSITION)
        lexemes = [
            f"{_lexeme(term)}:{','.join(entries)}"
            for term, entries in positions.items()
        ]
        if searchable:
            lexemes.append(_lexeme(SEARCHABLE_LEXEME))
        return " ".join(lexemes)

    def write_many(self, cursor, rows: list[tuple[int, dict, bool]]) -> None:
        """Write (page id, fields, searchable) rows' vectors."""
        cursor.executemany(
            f"UPDATE {ENTRY_TABLE} SET search_vector = CAST(%s AS tsvector) "  # noqa: S608
            "WHERE page_id = %s",
            [
                [self.literal(fields, searchable=searchable), page_id]
                for page_id, fields, searchable in rows
            ],
        )

    def delete(self, cursor, page_ids: list[int]) -> None:
        """Nothing to do: the vector is deleted with its entry row."""

    def delete_all(self, cursor) -> None:
        """Nothing to do: the vectors are deleted with the entry rows."""

    @staticmethod
    def expression(query: ParsedQuery, *, prefix: bool = False) -> str:
        """Every word, each a phrase: one term is its lexeme; two are their
        pair's lexeme (see literal); longer phrases need every pair and the
        terms in order, which only the vector can tell."""
        # Quoted lexemes cast to tsquery: no parser, so no operator syntax.
        phrases = []
        for number, word in enumerate(query.words, 1):
            star = ":*" if prefix and number == len(query.words) else ""
            terms = [token.term for token in word]
            pairs = [
                _lexeme(bigram(first, second))
                for first, second in zip(terms, terms[1:], strict=False)
            ]
            if not pairs:
                phrases.append(_lexeme(terms[0]) + star)
                continue
            pairs[-1] += star
            if len(terms) > 2:
                lexemes = [_lexeme(term) for term in terms]
                lexemes[-1] += star
                pairs.append("(" + " <-> ".join(lexemes) + ")")
            phrases.append("(" + " & ".join(pairs) + ")")
        return " & ".join(phrases)

    def search_transaction(self):
        return transaction.atomic()

    def before_counting(self, cursor) -> None:
        # The planner reads a broad match with a sequential scan, testing
        # every lesson's vector (microseconds each); the GIN index answers it
        # from its posting lists several times faster, however many match.
        # A plan that still scans a small table (job roles) then looks costly
        # enough to compile (JIT), which alone takes longer than the search.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL jit = off")

    def before_ranking(self, cursor, *, matches: int, candidates: int) -> None:
        # Finding the newest candidates: reading every match from the GIN
        # index costs well under a microsecond a match; walking the lessons
        # backwards by page id and testing each vector costs several, but
        # stops after the candidates. The first is cheaper up to about ten
        # matches for each candidate (measured at 5,000 and 50,000 lessons).
        if matches <= 10 * candidates:
            cursor.execute("SET LOCAL enable_indexscan = off")
        else:
            cursor.execute("SET LOCAL enable_seqscan = on")

    def matched(self, query: ParsedQuery, *, join: str = "") -> tuple[str, list]:
        # `q` asks for the searchable mark with the query, so the GIN index
        # alone finds the searchable matches; `typed` is the query, to rank.
        expression = self.expression(query)
        return (
            f"FROM {ENTRY_TABLE} e{join}, CAST(%s AS tsquery) AS q, "  # noqa: S608
            "CAST(%s AS tsquery) AS typed WHERE e.search_vector @@ q",
            [f"({expression}) & {_lexeme(SEARCHABLE_LEXEME)}", expression],
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
