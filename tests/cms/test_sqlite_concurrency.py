"""Concurrent writers on the SQLite default wait for each other instead of failing.

Each worker runs read-then-write transactions, the pattern that fails at once
with "database is locked" under SQLite's default DEFERRED transactions: the
read takes a snapshot, and the later write cannot upgrade once another writer
has committed. IMMEDIATE transactions take the write lock up front.
"""

import threading
import time

import pytest
from django.db import OperationalError, close_old_connections, connection, transaction

from organisation.models import Division

THREADS = 8
SECONDS = 3.0

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "sqlite", reason="SQLite locking behaviour only"
    ),
]


def run_writers() -> tuple[int, list[str]]:
    """Run the writers; return how many rows they committed and any errors."""
    committed = [0] * THREADS
    errors: list[str] = []
    start = threading.Barrier(THREADS)
    deadline = time.monotonic() + SECONDS

    def work(worker: int) -> None:
        start.wait()
        try:
            while time.monotonic() < deadline:
                with transaction.atomic():
                    mine = Division.objects.filter(
                        code__startswith=f"w{worker}-"
                    ).count()
                    Division.objects.create(
                        code=f"w{worker}-{mine}", name=f"課{worker}-{mine}"
                    )
                committed[worker] += 1
        except OperationalError as error:
            errors.append(str(error))
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(committed), errors


def test_eight_concurrent_writers_lose_nothing_and_never_see_locked():
    before = Division.objects.count()

    committed, errors = run_writers()

    assert errors == []
    assert committed > THREADS
    assert Division.objects.count() - before == committed


def test_the_same_load_fails_under_deferred_transactions():
    """The control: proves the load above would catch a DEFERRED configuration."""
    options = connection.settings_dict["OPTIONS"]
    options["transaction_mode"] = "DEFERRED"
    try:
        _, errors = run_writers()
    finally:
        options["transaction_mode"] = "IMMEDIATE"
        connection.close()

    assert any("database is locked" in error for error in errors)
