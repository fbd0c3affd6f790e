"""Database triggers that make the completion ledger append-only.

The model refuses updates and deletes, but code can reach the table without the
model (raw SQL, bulk helpers, a shell); the triggers refuse UPDATE and DELETE
in the database itself. PostgreSQL's TRUNCATE fires no row triggers, so a test
run can still empty the table; on SQLite tests drop the triggers first (see
tests/quizzes/conftest.py).
"""

from __future__ import annotations

TABLE = "quizzes_completionrecord"
MESSAGE = "completion records are append-only"

SQLITE_INSTALL = [
    f"""
    CREATE TRIGGER IF NOT EXISTS {TABLE}_no_{operation.lower()}
    BEFORE {operation} ON {TABLE}
    BEGIN
        SELECT RAISE(ABORT, '{MESSAGE}');
    END
    """
    for operation in ("UPDATE", "DELETE")
]
SQLITE_REMOVE = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_{operation.lower()}"
    for operation in ("UPDATE", "DELETE")
]

# SQLSTATE 23001 (restrict_violation) surfaces as Django's IntegrityError, as
# SQLite's RAISE(ABORT) does.
POSTGRESQL_INSTALL = [
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
POSTGRESQL_REMOVE = [
    f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}",
    f"DROP FUNCTION IF EXISTS {TABLE}_append_only()",
]


def _statements(vendor: str, *, install: bool) -> list[str]:
    if vendor == "sqlite":
        return SQLITE_INSTALL if install else SQLITE_REMOVE
    if vendor == "postgresql":
        return POSTGRESQL_INSTALL if install else POSTGRESQL_REMOVE
    raise NotImplementedError(f"No append-only triggers for {vendor}")


def install_triggers(connection) -> None:
    with connection.cursor() as cursor:
        for statement in _statements(connection.vendor, install=True):
            cursor.execute(statement)


def remove_triggers(connection) -> None:
    with connection.cursor() as cursor:
        for statement in _statements(connection.vendor, install=False):
            cursor.execute(statement)
