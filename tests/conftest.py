import shutil

import pytest
from django.conf import settings

from cms.organisation import AUTHORS_GROUP, EDITORS_GROUP, TRAINING_ADMINS_GROUP
from tests.factories import StaffProfileFactory, UserFactory
from training import ledger_triggers

pytest_plugins = ["tests.browser", "tests.caches"]


@pytest.fixture(scope="session", autouse=True)
def _flush_steps_around_the_ledger_triggers():
    """Let Django empty the ledger between transactional tests.

    The append-only triggers refuse the DELETE (SQLite) or TRUNCATE
    (PostgreSQL) that Django's flush runs, which is the point of them; the
    test harness alone steps around them: the flush it runs drops the
    triggers, empties the tables and puts the triggers back, in one
    transaction.
    """
    from django.db import connection

    operations = type(connection.ops)
    sql_flush = operations.sql_flush

    def sql_flush_around_ledger(self, style, tables, **kwargs):
        statements = sql_flush(self, style, tables, **kwargs)
        if ledger_triggers.TABLE not in tables:
            return statements
        vendor = self.connection.vendor
        return (
            ledger_triggers.all_statements(vendor, install=False)
            + list(statements)
            + ledger_triggers.all_statements(vendor, install=True)
        )

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(operations, "sql_flush", sql_flush_around_ledger)
        yield


@pytest.fixture(scope="session", autouse=True)
def _remove_test_media():
    yield
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


@pytest.fixture(autouse=True)
def _cold_cache():
    """Pages cache fragments keyed by versions kept in the cache; each test
    starts from an empty cache, as ids come round again between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def learner(db):
    return StaffProfileFactory(user__username="learner", roles=["general"]).user


@pytest.fixture
def author(db):
    return UserFactory(username="author", groups=[AUTHORS_GROUP])


@pytest.fixture
def editor(db):
    return UserFactory(username="editor", groups=[EDITORS_GROUP])


@pytest.fixture
def training_admin(db):
    return UserFactory(username="trainer", groups=[TRAINING_ADMINS_GROUP])
