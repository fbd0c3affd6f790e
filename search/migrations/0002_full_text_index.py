"""The embedded engine's full-text index, which the ORM does not model.

SQLite: an FTS5 table of analysed terms, rowid = page id. PostgreSQL: a
tsvector column on the entry table with a GIN index. See
search.backends.embedded for why the terms are analysed in Python.
"""

from django.db import migrations

SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS gofun_search_fts USING fts5("
    "title, headings, body, tokenize = 'unicode61 remove_diacritics 0')"
)
SQLITE_DROP = "DROP TABLE IF EXISTS gofun_search_fts"
POSTGRES_CREATE = [
    "ALTER TABLE gofun_search_searchentry ADD COLUMN search_vector tsvector",
    "CREATE INDEX gofun_search_entry_vector ON gofun_search_searchentry "
    "USING GIN (search_vector)",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS gofun_search_entry_vector",
    "ALTER TABLE gofun_search_searchentry DROP COLUMN IF EXISTS search_vector",
]


def _run(schema_editor, statements_by_vendor):
    for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def create_index(apps, schema_editor):
    _run(schema_editor, {"sqlite": [SQLITE_CREATE], "postgresql": POSTGRES_CREATE})


def drop_index(apps, schema_editor):
    _run(schema_editor, {"sqlite": [SQLITE_DROP], "postgresql": POSTGRES_DROP})


class Migration(migrations.Migration):
    dependencies = [("gofun_search", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
