"""The search log: a database that refuses the entry never fails the search."""

from __future__ import annotations

import logging

import pytest
from django.db import connection

from search.analysis import parse_query
from search.models import SearchQuery
from search.services import search_query_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def log_refused():
    """The database refuses new log entries (as a read-only role would)."""
    table = SearchQuery._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                f"CREATE TRIGGER refuse_search_log BEFORE INSERT ON {table} "
                "BEGIN SELECT RAISE(ABORT, 'read-only'); END"
            )
        else:
            cursor.execute(
                "CREATE FUNCTION refuse_search_log() RETURNS trigger AS $$ "
                "BEGIN RAISE EXCEPTION 'read-only'; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                f"CREATE TRIGGER refuse_search_log BEFORE INSERT ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION refuse_search_log()"
            )
    # The test's transaction is rolled back, the trigger with it.


def test_a_search_is_logged():
    entry = search_query_record(query=parse_query("VPN"), result_count=2, user=None)

    assert entry is not None
    assert SearchQuery.objects.get().query == "VPN"


def test_a_refused_log_entry_is_lost_and_logged_and_the_transaction_goes_on(
    log_refused, caplog
):
    with caplog.at_level(logging.ERROR, logger="gofun.search"):
        entry = search_query_record(query=parse_query("VPN"), result_count=2, user=None)

    assert entry is None
    # The caller's transaction is still usable (PostgreSQL would refuse any
    # query after an error that was not rolled back to a savepoint).
    assert SearchQuery.objects.count() == 0
    assert "Could not record a search" in caplog.text
