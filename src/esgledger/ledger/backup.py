"""Backing up a ledger to one archive, and restoring it into an empty database.

The archive is a ZIP file with a ``manifest.json`` and one JSON-lines file per table
(each row a JSON array in the manifest's column order), whatever the database. A logical
export rather than a copy of the database's own files, because:

- it restores into SQLite or PostgreSQL alike, whichever the backup came from;
- it needs no ``pg_dump`` of the server's exact major version on the machine that runs
  the backup, and no superuser rights to restore;
- every table file has a SHA-256 and row count in the manifest, checked before anything
  is written, and the restored ledger's audit log is verified against the data it seals.

Consistency: SQLite is first copied with its online backup API (a consistent copy even
while others write), and the copy is exported; PostgreSQL is read in one REPEATABLE READ
transaction, so every table is read as of the same moment.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, DateTime, Engine, MetaData, Table, func, select, text

from esgledger.errors import EsgError, Joined, Phrase
from esgledger.ledger.database import current_revision, migrate, open_database, utcnow
from esgledger.ledger.readings import ensure_reading_partitions

FORMAT = "esgledger-backup/1"
MANIFEST = "manifest.json"
SKIPPED_TABLES = {"alembic_version"}
# Derived from other tables by the database itself (triggers, migration 0008): not in the
# archive, refilled while the revisions are restored, cleared with them.
DERIVED_TABLES = {"current_values"}
# PostgreSQL's month partitions of meter_readings (migration 0010) reflect as tables of
# their own; their rows are exported once, through the partitioned table.
READING_PARTITION = re.compile(r"^meter_readings_\d{4}_\d{2}$")
_BATCH = 5_000


class BackupError(EsgError):
    """A backup that cannot be written, or an archive that cannot be restored."""


@dataclass(frozen=True)
class TableEntry:
    name: str
    columns: list[str]
    datetimes: list[str]
    rows: int
    sha256: str


def backup(database: Engine, out: Path) -> dict[str, Any]:
    """Write the whole ledger behind ``engine`` to the archive ``out``; returns the manifest."""
    if database.dialect.name == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            copy = open_database(f"sqlite:///{Path(folder) / 'copy.db'}")
            _sqlite_online_copy(database, copy)
            try:
                with copy.connect() as connection:
                    return _export(connection, out, "sqlite")
            finally:
                copy.dispose()
    consistent = database.connect().execution_options(isolation_level="REPEATABLE READ")
    with consistent as connection, connection.begin():
        return _export(connection, out, database.dialect.name)


def _sqlite_online_copy(source: Engine, target: Engine) -> None:
    """SQLite's backup API: a consistent copy page by page, writers are not blocked long."""
    source_raw = source.raw_connection()
    target_raw = target.raw_connection()
    try:
        source_db: sqlite3.Connection = source_raw.driver_connection  # type: ignore[assignment]
        source_db.backup(target_raw.driver_connection)  # type: ignore[arg-type]
    finally:
        source_raw.close()
        target_raw.close()


def _export(connection: Connection, out: Path, backend: str) -> dict[str, Any]:
    tables = _ledger_tables(connection)
    entries = []
    try:
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for table in tables:
                entries.append(_export_table(connection, table, archive))
            manifest = {
                "format": FORMAT,
                "created_at": utcnow().isoformat(),
                "backend": backend,
                "schema_revision": current_revision(connection),
                "tables": [entry.__dict__ for entry in entries],
            }
            archive.writestr(MANIFEST, json.dumps(manifest, indent=2))
    except OSError as exc:  # a folder that does not exist, a full disk, no permission
        raise BackupError.coded(
            "backup.cannot_write", out=str(out), detail=exc.strerror or str(exc)
        ) from None
    return manifest


def _ledger_tables(connection: Connection, *, derived: bool = False) -> list[Table]:
    """Every table but Alembic's, parents before children (foreign keys); derived ones on ask."""
    skipped = SKIPPED_TABLES if derived else SKIPPED_TABLES | DERIVED_TABLES
    metadata = MetaData()
    metadata.reflect(bind=connection)
    return [
        t
        for t in metadata.sorted_tables
        if t.name not in skipped and not READING_PARTITION.match(t.name)
    ]


def _export_table(connection: Connection, table: Table, archive: zipfile.ZipFile) -> TableEntry:
    columns = [c.name for c in table.columns]
    datetimes = [c.name for c in table.columns if isinstance(c.type, DateTime)]
    digest, rows = hashlib.sha256(), 0
    order = list(table.primary_key.columns) or list(table.columns)
    result = connection.execution_options(yield_per=_BATCH).execute(select(table).order_by(*order))
    with archive.open(f"tables/{table.name}.jsonl", "w") as handle:
        for row in result:
            line = (json.dumps([_plain(v) for v in row], ensure_ascii=False) + "\n").encode()
            digest.update(line)
            handle.write(line)
            rows += 1
    return TableEntry(table.name, columns, datetimes, rows, digest.hexdigest())


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def read_manifest(archive_path: Path) -> tuple[zipfile.ZipFile, dict[str, Any]]:
    """Open an archive and check its manifest and every table file's hash and row count."""
    try:
        archive = zipfile.ZipFile(archive_path)
        manifest = json.loads(archive.read(MANIFEST))
    except FileNotFoundError:
        raise BackupError.coded("backup.no_file", path=str(archive_path)) from None
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:  # not our archive
        raise BackupError.coded(
            "backup.not_backup", path=str(archive_path), detail=str(exc)
        ) from None
    if manifest.get("format") != FORMAT:
        raise BackupError.coded(
            "backup.unknown_format",
            path=str(archive_path),
            found=manifest.get("format"),
            expected=FORMAT,
        )
    for entry in manifest["tables"]:
        digest, rows = hashlib.sha256(), 0
        for line in _lines(archive, entry["name"]):
            digest.update(line)
            rows += 1
        if (digest.hexdigest(), rows) != (entry["sha256"], entry["rows"]):
            raise BackupError.coded("backup.damaged", path=str(archive_path), table=entry["name"])
    return archive, manifest


def _lines(archive: zipfile.ZipFile, table: str) -> Iterator[bytes]:
    with archive.open(f"tables/{table}.jsonl") as handle:
        yield from handle


def row_counts(connection: Connection) -> dict[str, int]:
    """How many rows each ledger table holds (to refuse restoring over a ledger)."""
    return {
        t.name: connection.scalar(select(func.count()).select_from(t)) or 0
        for t in _ledger_tables(connection)
    }


def load_tables(connection: Connection, archive: zipfile.ZipFile, manifest: dict) -> None:
    """Insert every table's rows, parents first, then move PostgreSQL's sequences on."""
    metadata = MetaData()
    metadata.reflect(bind=connection)
    for entry in manifest["tables"]:
        table = metadata.tables.get(entry["name"])
        if table is None:
            raise BackupError.coded("backup.no_table", table=entry["name"])
        batch: list[dict[str, Any]] = []
        for line in _lines(archive, entry["name"]):
            batch.append(_row(entry, json.loads(line)))
            if len(batch) >= _BATCH:
                _insert(connection, table, batch)
                batch = []
        if batch:
            _insert(connection, table, batch)
    if connection.dialect.name == "postgresql":
        _advance_sequences(connection, [metadata.tables[e["name"]] for e in manifest["tables"]])


def _insert(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    if table.name == "meter_readings" and connection.dialect.name == "postgresql":
        ensure_reading_partitions(connection, [row["at"] for row in rows])
    connection.execute(table.insert(), rows)


def _row(entry: dict[str, Any], values: list[Any]) -> dict[str, Any]:
    row = dict(zip(entry["columns"], values, strict=True))
    for name in entry["datetimes"]:
        if row[name] is not None:
            row[name] = datetime.fromisoformat(row[name])
    return row


def _advance_sequences(connection: Connection, tables: list[Table]) -> None:
    """Rows were inserted with their ids; the next generated id must come after them."""
    for table in tables:
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or keys[0].type.python_type is not int:
            continue
        name, column = table.name, keys[0].name
        sequence = connection.scalar(
            text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": name, "c": column}
        )
        if sequence:
            connection.execute(
                text(
                    f'SELECT setval(:s, COALESCE((SELECT MAX("{column}") FROM "{name}"), 0) + 1, '
                    "false)"
                ),
                {"s": sequence},
            )


def clear_tables(connection: Connection) -> None:
    """Delete every ledger row, derived ones too, children first (restore --replace)."""
    for table in reversed(_ledger_tables(connection, derived=True)):
        connection.execute(table.delete())


def restore(archive_path: Path, database: Engine, *, replace: bool = False) -> dict[str, Any]:
    """Restore an archive into ``engine``'s database, all or nothing; returns the manifest.

    Raises:
        BackupError: the archive is damaged, its schema differs from the target's, or the
            target already holds a ledger and ``replace`` was not given.
    """
    archive, manifest = read_manifest(archive_path)
    wanted = manifest["schema_revision"]
    with database.connect() as connection:
        present = current_revision(connection)
    if present is None:
        migrate(database, wanted)
    elif present != wanted:
        raise BackupError.coded("backup.other_schema", present=present, wanted=wanted)
    with archive, database.begin() as connection:
        held = {name: n for name, n in row_counts(connection).items() if n}
        if held and not replace:
            listed = tuple(
                Phrase.of("backup.table_rows", table=name, rows=n)
                for name, n in sorted(held.items())[:4]
            )
            raise BackupError.coded("backup.not_empty", held=Joined(listed))
        clear_tables(connection)
        load_tables(connection, archive, manifest)
    migrate(database)
    return manifest
