"""A backup restores into a fresh database with the same ledger, row for row.

The backup is taken in this process (as an operator would run backup_site on
the live site); the restore runs as `manage.py restore_site` in a child
process pointed at a fresh database, on SQLite and on PostgreSQL.
"""

import json
import sqlite3
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from cms.backup import BackupError, read_manifest, site_backup
from tests.factories import make_lesson, make_series
from tests.processes import manage
from training.models import CompletionRecord
from training.services import completion_record_void

# Serialized rollback puts back what migrations wrote (groups, job roles).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LEDGER = CompletionRecord._meta.db_table


@pytest.fixture
def ledger(learner, training_admin):
    """Ledger rows with a gap in their ids and a void, and an uploaded file."""
    lesson = make_lesson(series=make_series(slug="backup"))
    first = CompletionRecord.objects.create(
        kind="read_to_end",
        user=learner,
        lesson=lesson,
        page_revision_id=lesson.live_revision_id,
    )
    CompletionRecord.objects.create(
        id=first.pk + 40,
        kind="read_to_end",
        user=training_admin,
        lesson=lesson,
        page_revision_id=lesson.live_revision_id,
    )
    completion_record_void(record=first, by=training_admin, reason="誤登録")
    upload = Path(settings.MEDIA_ROOT) / "documents" / "手順書.txt"
    upload.parent.mkdir(parents=True, exist_ok=True)
    upload.write_text("復元の手順", encoding="utf-8")
    return list(CompletionRecord.objects.order_by("pk").values_list("pk", flat=True))


def ledger_rows(cursor) -> list[tuple]:
    cursor.execute(f"SELECT * FROM {LEDGER} ORDER BY id")  # noqa: S608
    return [tuple(str(value) for value in row) for row in cursor.fetchall()]


@pytest.fixture
def fresh_database(tmp_path):
    """A DATABASE_URL for an empty database of the same kind, and a way to
    open it directly."""
    if connection.vendor == "sqlite":
        path = tmp_path / "restored.sqlite3"
        yield f"sqlite:///{path}", lambda: sqlite3.connect(path)
        return
    import psycopg

    name = "gofun_restored"
    db = connection.settings_dict
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    host = quote(db["HOST"] or "", safe="")
    url = f"postgres://{db['USER']}@{host}/{name}"
    opened = []

    def open_restored():
        opened.append(psycopg.connect(host=db["HOST"], user=db["USER"], dbname=name))
        return opened[-1]

    yield url, open_restored
    for handle in opened:
        handle.close()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def restore(backup: Path, database_url: str, media: Path, **environment):
    return manage(
        "restore_site",
        str(backup),
        "--json",
        environment={
            "DJANGO_SETTINGS_MODULE": "cms.settings.test",
            "DATABASE_URL": database_url,
            "GOFUN_TEST_MEDIA_ROOT": str(media),
            **environment,
        },
    )


def test_a_restored_backup_has_the_same_ledger_rows_ids_and_digest(
    tmp_path, ledger, fresh_database
):
    database_url, open_restored = fresh_database
    backup = tmp_path / "backup"
    with connection.cursor() as cursor:
        original = ledger_rows(cursor)

    manifest = site_backup(destination=backup)
    result = restore(backup, database_url, tmp_path / "media")

    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["verified"] is True
    assert report["checks"]["completion_ledger"] == manifest.checks["completion_ledger"]
    assert manifest.checks["completion_ledger"]["rows"] == len(ledger) == 3
    assert manifest.checks["completion_ledger"]["highest_id"] == ledger[-1]
    restored = open_restored()
    assert ledger_rows(restored.cursor()) == original
    assert (tmp_path / "media" / "documents" / "手順書.txt").read_text(
        encoding="utf-8"
    ) == "復元の手順"


def test_a_restore_forgets_what_the_shared_cache_held(
    tmp_path, ledger, fresh_database, redis_url
):
    import redis

    database_url, _ = fresh_database
    backup = tmp_path / "backup"
    site_backup(destination=backup)
    held = redis.Redis.from_url(redis_url)
    # A page version and a person's page, read before the restore.
    held.set(":1:gofun:version:tree", "before-the-restore")
    held.set(":1:gofun:personal-page:3:1:x", "a page from the old database")

    result = restore(
        backup, database_url, tmp_path / "media", GOFUN_REDIS_URL=redis_url
    )

    assert result.returncode == 0, result.stderr
    assert held.dbsize() == 0
    held.close()


def test_the_restored_ledger_still_refuses_rewrites(tmp_path, ledger, fresh_database):
    database_url, open_restored = fresh_database
    site_backup(destination=tmp_path / "backup")
    assert restore(tmp_path / "backup", database_url, tmp_path / "m").returncode == 0
    restored = open_restored()

    with pytest.raises(Exception, match="append-only"):
        restored.cursor().execute(f"UPDATE {LEDGER} SET reason = 'x'")  # noqa: S608
    restored.rollback()
    with pytest.raises(Exception, match="append-only"):
        restored.cursor().execute(f"DELETE FROM {LEDGER}")  # noqa: S608


def test_a_damaged_backup_is_refused_and_restores_nothing(
    tmp_path, ledger, fresh_database
):
    database_url, open_restored = fresh_database
    backup = tmp_path / "backup"
    site_backup(destination=backup)
    archive = backup / "media.tar.gz"
    archive.write_bytes(archive.read_bytes()[:-10] + b"0123456789")

    result = restore(backup, database_url, tmp_path / "media")

    assert result.returncode == 1
    assert "media.tar.gz" in result.stderr
    with pytest.raises(BackupError):
        read_manifest(backup)
    assert not (tmp_path / "media").exists() or not any((tmp_path / "media").iterdir())


def test_a_database_that_holds_tables_is_not_restored_over(tmp_path, ledger):
    site_backup(destination=tmp_path / "backup")

    # The test database itself is full: restoring over it is refused.
    result = manage(
        "restore_site",
        str(tmp_path / "backup"),
        environment={
            "DJANGO_SETTINGS_MODULE": "cms.settings.test",
            "DATABASE_URL": _url_of_this_database(),
            "GOFUN_TEST_MEDIA_ROOT": str(tmp_path / "media"),
        },
    )

    assert result.returncode == 1
    assert "空のデータベース" in result.stderr or "empty database" in result.stderr
    assert CompletionRecord.objects.count() == 3


def test_a_backup_never_writes_into_a_folder_that_holds_files(tmp_path, ledger):
    (tmp_path / "backup").mkdir()
    (tmp_path / "backup" / "keep.txt").write_text("大事なファイル")

    with pytest.raises(BackupError):
        site_backup(destination=tmp_path / "backup")

    assert [path.name for path in (tmp_path / "backup").iterdir()] == ["keep.txt"]


def _url_of_this_database() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{quote(db['HOST'] or '', safe='')}/{db['NAME']}"
