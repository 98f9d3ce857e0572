"""A backup restores into an empty database as the same ledger: same snapshot, intact audit."""

from __future__ import annotations

import json
import zipfile
from datetime import datetime
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import text
from tests.conftest import _PG_SKIP, _postgres_schema_database

from esgledger.catalog import load_catalog
from esgledger.ledger import backup, calendar, revisions, snapshots
from esgledger.ledger.database import migrate, open_database, unit_of_work
from esgledger.ledger.imports.apply import import_file
from esgledger.ledger.readings import write_readings
from esgledger.ledger.verify import verify_ledger

REO = "production.reo_output"


@pytest.fixture
def source(ledger, write_csv):
    """A ledger with approved, locked and draft values, a snapshot and a locked year."""
    catalog = load_catalog()
    rows = [
        ("SMELT", "2023", REO, 4100.25, "tREO", "first year"),
        ("SMELT", "2024", REO, 5000, "tREO", ""),
        ("METAL", "2024", REO, 1.2, "ktREO", ""),
    ]
    with unit_of_work(ledger) as session:
        import_file(session, write_csv("a.csv", rows), "reporter", catalog, submit=True)
        revisions.change_status(session, "manager", revisions.APPROVED, revisions.Selection())
        calendar.lock_period(session, "manager", "2023")
        snapshots.take_snapshot(session, "manager")
    with unit_of_work(ledger) as session:
        more = [("METAL", "2024", REO, 1300, "tREO", "corrected")]
        import_file(session, write_csv("b.csv", more), "reporter", catalog)
    return ledger


@pytest.fixture
def empty_target(database, tmp_path: Path):
    """An empty database of the same kind as the source ledger."""
    if database.dialect.name == "postgresql":
        yield from _postgres_schema_database()
        return
    target = open_database(f"sqlite:///{tmp_path / 'same.db'}")
    yield target
    target.dispose()


@pytest.fixture
def empty_sqlite(tmp_path: Path):
    database = open_database(f"sqlite:///{tmp_path / 'restored.db'}")
    yield database
    database.dispose()


@pytest.fixture
def empty_postgres():
    if _PG_SKIP:
        pytest.skip(_PG_SKIP)
    yield from _postgres_schema_database()


def fingerprint(database):
    """What must survive: the snapshot's values and hash, the current approved values."""
    with unit_of_work(database) as session:
        stored = snapshots.list_snapshots(session)[0]
        held = snapshots.content_hash(snapshots.snapshot_values(session, stored.id))
        now = snapshots.content_hash(snapshots.approved_as_of(session))
        check = verify_ledger(session)
    assert check.ok, check.breaks
    return stored.content_hash, held, now, check.entries, check.revisions, check.head_hash


def round_trip(source, target, tmp_path):
    archive = tmp_path / "ledger-backup.zip"
    backup.backup(source, archive)
    backup.restore(archive, target)
    return archive


def test_a_restored_ledger_has_the_same_snapshot_hash_and_verifies(source, empty_target, tmp_path):
    round_trip(source, empty_target, tmp_path)
    assert fingerprint(empty_target) == fingerprint(source)


def test_a_sqlite_backup_restores_into_postgresql(source, empty_postgres, tmp_path):
    if source.dialect.name != "sqlite":
        pytest.skip("the cross-backend case starts from SQLite")
    round_trip(source, empty_postgres, tmp_path)
    assert fingerprint(empty_postgres) == fingerprint(source)
    with unit_of_work(empty_postgres) as session:  # new ids follow the restored ones
        revisions.change_status(session, "manager", revisions.SUBMITTED, revisions.Selection())
    assert verify_ledger_ok(empty_postgres)


def test_restoring_into_a_database_that_holds_a_ledger_is_refused(source, tmp_path):
    archive = tmp_path / "b.zip"
    backup.backup(source, archive)
    with pytest.raises(backup.BackupError, match=r"not empty .*--replace"):
        backup.restore(archive, source)
    backup.restore(archive, source, replace=True)
    assert verify_ledger_ok(source)


def test_the_refusal_to_restore_over_a_ledger_reads_in_chinese(source, tmp_path):
    archive = tmp_path / "b.zip"
    backup.backup(source, archive)
    with pytest.raises(backup.BackupError) as refused:
        backup.restore(archive, source)
    assert refused.value.code == "backup.not_empty"
    assert refused.value.render("zh").startswith("目标数据库不为空（")
    assert "audit_log 7 行，changesets 4 行" in refused.value.render("zh")
    assert "--replace" in refused.value.render("zh")


def test_a_missing_archive_is_named_as_missing(empty_sqlite, tmp_path):
    with pytest.raises(backup.BackupError) as refused:
        backup.restore(tmp_path / "gone.zip", empty_sqlite)
    assert refused.value.code == "backup.no_file"
    assert refused.value.render("zh").startswith(f"{tmp_path / 'gone.zip'} 处没有备份：文件不存在")


def test_a_damaged_archive_is_refused_before_anything_is_written(source, empty_sqlite, tmp_path):
    archive = tmp_path / "c.zip"
    backup.backup(source, archive)
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(archive) as original, zipfile.ZipFile(damaged, "w") as copy:
        for item in original.namelist():
            data = original.read(item)
            if item == "tables/revisions.jsonl":
                data = data.replace(b"5000.0", b"5001.0")
            copy.writestr(item, data)
    with pytest.raises(backup.BackupError, match="revisions does not match its manifest"):
        backup.restore(damaged, empty_sqlite)
    migrate(empty_sqlite)
    with empty_sqlite.connect() as connection:
        assert connection.scalar(text("SELECT COUNT(*) FROM revisions")) == 0


def test_the_manifest_lists_every_table_with_rows_and_hash(source, tmp_path):
    archive = tmp_path / "d.zip"
    manifest = backup.backup(source, archive)
    with zipfile.ZipFile(archive) as opened:
        stored = json.loads(opened.read("manifest.json"))
    assert stored == json.loads(json.dumps(manifest))
    counts = {t["name"]: t["rows"] for t in stored["tables"]}
    assert counts["revisions"] == 8 and counts["audit_log"] == 7 and counts["period_locks"] == 1
    assert "alembic_version" not in counts
    assert "current_values" not in counts  # derived: the restore refills it (and verifies it)


def verify_ledger_ok(database):
    with unit_of_work(database) as session:
        return verify_ledger(session).ok


def _readings(database) -> list[tuple]:
    with unit_of_work(database) as session:
        rows = session.execute(text("SELECT meter, at, value FROM meter_readings ORDER BY 1, 2"))
        return [(meter, str(at)[:19], value) for meter, at, value in rows]


def test_meter_readings_over_several_months_restore_into_postgresql(
    source, empty_postgres, tmp_path
):
    """On PostgreSQL the readings live in month partitions, which an empty target lacks:
    the restore creates the ones the archive's rows fall in."""
    at = [datetime(2024, 1, 31, 23, 45), datetime(2024, 2, 1, 0, 0), datetime(2024, 3, 5, 8)]
    frame = pl.DataFrame({"meter": ["M1", "M1", "M2"], "at": at, "value": [1.5, 2.5, 7.0]})
    with unit_of_work(source) as session:
        write_readings(session, frame, "test")
    round_trip(source, empty_postgres, tmp_path)
    assert _readings(empty_postgres) == _readings(source)
    assert len(_readings(source)) == 3
    assert fingerprint(empty_postgres) == fingerprint(source)
