"""PostgreSQL: each pair of neighbouring terms becomes a lexeme of its own,
and the vector of a lesson learners may find holds a mark saying so.

The embedded engine now writes "個人 情報" beside 個人 and 情報 in a lesson's
vector, and searches a two-term phrase by that one lexeme, and asks for the
mark with every learner's search: the GIN index then answers both without
reading any vector (search.backends.embedded.stores). Vectors written before
get their pairs (from the positions they hold) and their mark here, so
searches keep finding them without a rebuild. SQLite's FTS5 matches phrases
itself and reads `searchable` from an index: nothing to do there.
"""

import re

from django.db import migrations

TABLE = "gofun_search_searchentry"
BATCH = 500
# As search.backends.embedded.stores.SEARCHABLE_LEXEME, written as it was.
SEARCHABLE = "'\x01searchable'"
# Positions run 1..16383; terms past the last share it and have no neighbours.
LAST_POSITION = 16383
# tsvector text: 'lexeme' (quote and backslash doubled), then :positions.
ENTRY = re.compile(r"'((?:[^'\\]|''|\\\\)*)'(?::([0-9A-D,]+))?")
POSITION = re.compile(r"([0-9]+)([A-D]?)")


def _quoted(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def pairs_added(vector: str) -> str:
    """The tsvector text with a lexeme for each two terms at neighbouring
    positions, at the first one's position and weight."""
    at: dict[int, tuple[str, str]] = {}
    for match in ENTRY.finditer(vector):
        lexeme = match.group(1).replace("''", "'").replace("\\\\", "\\")
        if " " in lexeme:
            continue  # a pair already (terms hold no spaces)
        for position, weight in POSITION.findall(match.group(2) or ""):
            at[int(position)] = (lexeme, weight or "D")
    added: dict[str, list[str]] = {}
    for position, (lexeme, weight) in sorted(at.items()):
        following = at.get(position + 1)
        if following is None or position + 1 >= LAST_POSITION:
            continue
        positions = added.setdefault(f"{lexeme} {following[0]}", [])
        if len(positions) < 255:
            positions.append(f"{position}{weight}")
    extra = " ".join(
        f"{_quoted(lexeme)}:{','.join(positions)}"
        for lexeme, positions in added.items()
    )
    return f"{vector} {extra}" if extra else vector


def add_pairs_and_mark(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    last = -1
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                f"SELECT page_id, search_vector::text, searchable FROM {TABLE} "  # noqa: S608
                "WHERE search_vector IS NOT NULL AND page_id > %s "
                "ORDER BY page_id LIMIT %s",
                [last, BATCH],
            )
            rows = cursor.fetchall()
            if not rows:
                return
            cursor.executemany(
                f"UPDATE {TABLE} SET search_vector = CAST(%s AS tsvector) "  # noqa: S608
                "WHERE page_id = %s",
                [
                    [
                        pairs_added(vector) + (f" {SEARCHABLE}" if searchable else ""),
                        page_id,
                    ]
                    for page_id, vector, searchable in rows
                ],
            )
            last = rows[-1][0]


class Migration(migrations.Migration):
    dependencies = [("gofun_search", "0007_entry_facets_index")]

    operations = [migrations.RunPython(add_pairs_and_mark, migrations.RunPython.noop)]
