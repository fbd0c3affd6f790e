"""A consistent backup of the site (database and uploads) and its restore.

Django has no backup of its own and `dumpdata` is neither consistent under
writes nor faithful to what it does not model (the ledger's triggers, the
search engine's full-text tables), so this uses each database's own tools:

- SQLite: the online backup API, a page-by-page copy of one consistent state.
- PostgreSQL: `pg_dump --format=custom` of a snapshot exported by a
  REPEATABLE READ transaction, the same transaction that computes the checks,
  so the checks describe exactly what was dumped. `pg_restore` puts it back,
  functions and triggers included.

The database is copied first and the uploads after: Wagtail never rewrites an
uploaded file, so every file the copied database names is in the archive
(renditions made meanwhile may be extra; missing ones are made again).

A backup is a folder: the database copy, `media.tar.gz`, and `manifest.json`
(what was copied, each file's SHA-256, and the checks apps register with the
BACKUP_CHECKS hook — the ledger's rows, highest id and digest among them). A
restore refuses a folder whose files do not match their hashes, refuses a
database that already holds tables, and compares the checks once restored.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.utils import load_backend
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail import hooks

from .extension_points import BACKUP_CHECKS

MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "media.tar.gz"
SQLITE_COPY = "database.sqlite3"
POSTGRESQL_DUMP = "database.dump"
FORMAT_VERSION = 1


class BackupError(Exception):
    """A backup or restore that was refused; nothing was changed."""


@dataclass
class BackupManifest:
    vendor: str
    created_at: str
    migrations: dict[str, str]
    checks: dict[str, dict]
    files: dict[str, str] = field(default_factory=dict)
    format_version: int = FORMAT_VERSION

    def to_json(self) -> str:
        return json.dumps(self.__dict__, ensure_ascii=False, indent=2, sort_keys=True)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def backup_checks(db_connection) -> dict[str, dict]:
    """Every registered app's figures, read through `db_connection`."""
    checks = {}
    for hook in hooks.get_hooks(BACKUP_CHECKS):
        name, figures = hook(db_connection)
        checks[name] = figures
    return checks


def _latest_migrations(db_connection) -> dict[str, str]:
    applied = MigrationRecorder(db_connection).applied_migrations()
    latest: dict[str, str] = {}
    for app, name in sorted(applied):
        latest[app] = max(latest.get(app, ""), name)
    return latest


def postgresql_program(name: str) -> str:
    """The path of a PostgreSQL client program (pg_dump, pg_restore)."""
    configured = os.environ.get("GOFUN_PG_BIN", "").strip()
    candidates = [Path(configured) / name] if configured else []
    found = shutil.which(name)
    if found:
        candidates.append(Path(found))
    candidates += sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True
    )
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    raise BackupError(
        _("%(program)s was not found: install PostgreSQL's client programs.")
        % {"program": name}
    )


def _postgresql_environment(db_settings: dict) -> dict[str, str]:
    environment = {**os.environ}
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if db_settings.get(key):
            environment[variable] = str(db_settings[key])
    return environment


def _run(command: list[str], *, environment: dict[str, str]) -> None:
    result = subprocess.run(  # noqa: S603 -- fixed programs, no shell
        command, env=environment, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(
            _("%(program)s failed: %(error)s")
            % {"program": Path(command[0]).name, "error": result.stderr.strip()[-500:]}
        )


def _prepare_destination(destination: Path) -> None:
    if destination.exists() and any(destination.iterdir()):
        raise BackupError(
            _("%(folder)s is not empty: give a new folder for the backup.")
            % {"folder": destination}
        )
    destination.mkdir(parents=True, exist_ok=True)


def _backup_sqlite(destination: Path) -> dict[str, dict]:
    source = Path(connection.settings_dict["NAME"])
    copy = destination / SQLITE_COPY
    with sqlite3.connect(source) as live, sqlite3.connect(copy) as target:
        live.backup(target)
    # The checks describe the copy itself, whatever was written since.
    copy_settings = {**connection.settings_dict, "NAME": str(copy)}
    backend = load_backend(copy_settings["ENGINE"])
    copied = backend.DatabaseWrapper(copy_settings, "gofun_backup_copy")
    try:
        return backup_checks(copied)
    finally:
        copied.close()


def _backup_postgresql(destination: Path) -> dict[str, dict]:
    db_settings = connection.settings_dict
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        checks = backup_checks(connection)
        _run(
            [
                postgresql_program("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={destination / POSTGRESQL_DUMP}",
                db_settings["NAME"],
            ],
            environment=_postgresql_environment(db_settings),
        )
    return checks


def _archive_media(destination: Path) -> None:
    media_root = Path(settings.MEDIA_ROOT)
    with tarfile.open(destination / MEDIA_ARCHIVE, "w:gz") as archive:
        if media_root.is_dir():
            for path in sorted(media_root.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    archive.add(path, arcname=str(path.relative_to(media_root)))


def site_backup(*, destination: Path) -> BackupManifest:
    """Back the site up into `destination` (a new or empty folder)."""
    destination = Path(destination)
    _prepare_destination(destination)
    vendor = connection.vendor
    if vendor == "sqlite":
        checks = _backup_sqlite(destination)
    elif vendor == "postgresql":
        checks = _backup_postgresql(destination)
    else:
        raise BackupError(
            _("No backup for a %(vendor)s database.") % {"vendor": vendor}
        )
    _archive_media(destination)
    manifest = BackupManifest(
        vendor=vendor,
        created_at=timezone.now().isoformat(),
        migrations=_latest_migrations(connection),
        checks=checks,
    )
    manifest.files = {
        path.name: _sha256(path)
        for path in sorted(destination.iterdir())
        if path.name != MANIFEST
    }
    (destination / MANIFEST).write_text(manifest.to_json() + "\n", encoding="utf-8")
    return manifest


def read_manifest(source: Path) -> BackupManifest:
    """The backup's manifest, once every file matches its recorded hash."""
    try:
        data = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
        manifest = BackupManifest(**data)
    except (OSError, ValueError, TypeError) as error:
        raise BackupError(
            _("%(folder)s holds no readable backup manifest.") % {"folder": source}
        ) from error
    if manifest.format_version != FORMAT_VERSION:
        raise BackupError(_("This backup was written by another version of Gofun."))
    for name, expected in manifest.files.items():
        path = source / name
        if not path.is_file() or _sha256(path) != expected:
            raise BackupError(
                _("%(file)s is missing or damaged: the backup cannot be trusted.")
                % {"file": name}
            )
    return manifest


def _database_is_empty() -> bool:
    return not connection.introspection.table_names()


def _restore_sqlite(source: Path) -> None:
    target = Path(connection.settings_dict["NAME"])
    connection.close()
    with (
        sqlite3.connect(source / SQLITE_COPY) as backup,
        sqlite3.connect(target) as restored,
    ):
        backup.backup(restored)


def _restore_postgresql(source: Path) -> None:
    db_settings = connection.settings_dict
    connection.close()
    _run(
        [
            postgresql_program("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={db_settings['NAME']}",
            str(source / POSTGRESQL_DUMP),
        ],
        environment=_postgresql_environment(db_settings),
    )


def _extract_media(source: Path) -> int:
    media_root = Path(settings.MEDIA_ROOT)
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / MEDIA_ARCHIVE, "r:gz") as archive:
        members = archive.getmembers()
        # The "data" filter refuses absolute paths, "..", links and devices.
        archive.extractall(media_root, filter="data")
    return sum(1 for member in members if member.isfile())


@dataclass(frozen=True)
class RestoreReport:
    manifest: BackupManifest
    checks: dict[str, dict]
    media_files: int

    @property
    def verified(self) -> bool:
        return self.checks == self.manifest.checks


def site_restore(*, source: Path) -> RestoreReport:
    """Restore a backup folder into the configured, empty database and the
    media folder, then read the checks again from the restored database."""
    source = Path(source)
    manifest = read_manifest(source)
    if manifest.vendor != connection.vendor:
        raise BackupError(
            _("This backup is of a %(backup)s database; this site uses %(site)s.")
            % {"backup": manifest.vendor, "site": connection.vendor}
        )
    if not _database_is_empty():
        raise BackupError(
            _("The database already holds tables: restore into an empty database.")
        )
    media_root = Path(settings.MEDIA_ROOT)
    if media_root.is_dir() and any(media_root.iterdir()):
        raise BackupError(
            _("%(folder)s is not empty: restore the uploads into an empty folder.")
            % {"folder": media_root}
        )
    if manifest.vendor == "sqlite":
        _restore_sqlite(source)
    else:
        _restore_postgresql(source)
    media_files = _extract_media(source)
    # What the cache holds (pages, routes, people's copies, their versions)
    # was read from the database before it; sessions are read again from
    # the restored one.
    cache.clear()
    return RestoreReport(
        manifest=manifest, checks=backup_checks(connection), media_files=media_files
    )
