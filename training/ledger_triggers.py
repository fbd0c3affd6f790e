"""Database triggers that make the completion ledger append-only.

The model refuses updates and deletes, but code can reach the table without the
model (raw SQL, bulk helpers, a shell); these triggers refuse every statement
that would change or remove a row, in the database itself:

- UPDATE and DELETE (both databases; also SQLite's UPSERT, which updates);
- SQLite's REPLACE INTO / INSERT OR REPLACE, which delete the conflicting row
  without firing delete triggers (SQLite fires them only with
  recursive_triggers on, a per-connection setting): an insert that would
  collide with an existing id or unique column is refused before it happens;
- PostgreSQL's TRUNCATE, which fires no row triggers.

Each list is installed by one migration and never edited afterwards: a change
is a new list and a new migration. A UNIQUE column added to the ledger must be
added to a new REPLACE trigger too (tests/training/test_ledger.py checks).
The test harness alone steps around them to empty the table between
transactional tests (tests/conftest.py).
"""

from __future__ import annotations

TABLE = "quizzes_completionrecord"
MESSAGE = "completion records are append-only"

# Columns an INSERT OR REPLACE could collide on: the key and unique columns.
REPLACE_GUARDED_COLUMNS = ("id", "attempt_id", "voids_id")

# Installed by quizzes.0002 (the ledger began in that app).
SQLITE_UPDATE_DELETE = [
    f"""
    CREATE TRIGGER IF NOT EXISTS {TABLE}_no_{operation.lower()}
    BEFORE {operation} ON {TABLE}
    BEGIN
        SELECT RAISE(ABORT, '{MESSAGE}');
    END
    """
    for operation in ("UPDATE", "DELETE")
]
SQLITE_UPDATE_DELETE_REMOVE = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_{operation.lower()}"
    for operation in ("UPDATE", "DELETE")
]

# SQLSTATE 23001 (restrict_violation) surfaces as Django's IntegrityError, as
# SQLite's RAISE(ABORT) does.
POSTGRESQL_UPDATE_DELETE = [
    f"""
    CREATE OR REPLACE FUNCTION {TABLE}_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}: % refused', TG_OP USING ERRCODE = '23001';
    END;
    $$ LANGUAGE plpgsql
    """,
    f"""
    CREATE TRIGGER {TABLE}_append_only
    BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION {TABLE}_append_only()
    """,
]
POSTGRESQL_UPDATE_DELETE_REMOVE = [
    f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}",
    f"DROP FUNCTION IF EXISTS {TABLE}_append_only()",
]

# Installed by training.0002.
_collides = " OR ".join(
    f"(NEW.{column} IS NOT NULL AND {column} = NEW.{column})"
    for column in REPLACE_GUARDED_COLUMNS
)
SQLITE_REPLACE = [
    # Built from the constants above only.
    f"""
    CREATE TRIGGER IF NOT EXISTS {TABLE}_no_replace
    BEFORE INSERT ON {TABLE}
    WHEN EXISTS (SELECT 1 FROM {TABLE} WHERE {_collides})
    BEGIN
        SELECT RAISE(ABORT, '{MESSAGE}');
    END
    """  # noqa: S608
]
SQLITE_REPLACE_REMOVE = [f"DROP TRIGGER IF EXISTS {TABLE}_no_replace"]
POSTGRESQL_TRUNCATE = [
    f"""
    CREATE TRIGGER {TABLE}_no_truncate
    BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_append_only()
    """
]
POSTGRESQL_TRUNCATE_REMOVE = [f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE}"]

STAGES = {
    # stage: {vendor: (install, remove)}
    "update_delete": {
        "sqlite": (SQLITE_UPDATE_DELETE, SQLITE_UPDATE_DELETE_REMOVE),
        "postgresql": (POSTGRESQL_UPDATE_DELETE, POSTGRESQL_UPDATE_DELETE_REMOVE),
    },
    "replace_truncate": {
        "sqlite": (SQLITE_REPLACE, SQLITE_REPLACE_REMOVE),
        "postgresql": (POSTGRESQL_TRUNCATE, POSTGRESQL_TRUNCATE_REMOVE),
    },
}


def stage_statements(stage: str, vendor: str, *, install: bool) -> list[str]:
    try:
        install_statements, remove_statements = STAGES[stage][vendor]
    except KeyError as error:
        raise NotImplementedError(f"No append-only triggers for {vendor}") from error
    return install_statements if install else remove_statements


def all_statements(vendor: str, *, install: bool) -> list[str]:
    """Every stage's statements: installing in order, removing in reverse."""
    stages = list(STAGES) if install else list(reversed(STAGES))
    return [
        statement
        for stage in stages
        for statement in stage_statements(stage, vendor, install=install)
    ]


def _run(connection, statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def install_stage(connection, stage: str) -> None:
    _run(connection, stage_statements(stage, connection.vendor, install=True))


def remove_stage(connection, stage: str) -> None:
    _run(connection, stage_statements(stage, connection.vendor, install=False))


def install_triggers(connection) -> None:
    _run(connection, all_statements(connection.vendor, install=True))


def remove_triggers(connection) -> None:
    _run(connection, all_statements(connection.vendor, install=False))
