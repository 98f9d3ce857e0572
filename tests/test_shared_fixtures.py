"""The suite's shared, read-only fixtures: built once across workers, and guarded."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from tests.shared import assert_unchanged, build_once, copy_sqlite


def _ledger(folder: Path) -> dict[str, str]:
    """A SQLite file in WAL mode, closed as the demo build closes it, and a report."""
    db = sqlite3.connect(folder / "demo.db")
    with db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE figures (name TEXT, value REAL)")
        db.execute("INSERT INTO figures VALUES ('scope1', 1.5)")
    db.close()
    (folder / "report.html").write_text("<p>1.5</p>", "utf-8")
    return {"built": "yes"}


def test_reading_the_shared_ledger_passes_the_guard(tmp_path):
    build_once(tmp_path, "shared", _ledger)
    with sqlite3.connect(tmp_path / "shared" / "demo.db") as db:
        assert db.execute("SELECT value FROM figures").fetchall() == [(1.5,)]
        assert_unchanged(tmp_path / "shared")  # a reader's -shm and empty -wal do not count


def test_a_test_that_writes_to_the_shared_ledger_fails_the_guard(tmp_path):
    build_once(tmp_path, "shared", _ledger)
    db = sqlite3.connect(tmp_path / "shared" / "demo.db")
    with db:
        db.execute("UPDATE figures SET value = 2")
    with pytest.raises(AssertionError, match=r"wrote to the shared, read-only shared \(demo\.db"):
        assert_unchanged(tmp_path / "shared")  # caught while the write is still in the WAL
    db.close()  # the last connection checkpoints the WAL into the file itself
    with pytest.raises(AssertionError, match=r"\(demo\.db in"):
        assert_unchanged(tmp_path / "shared")


def test_a_changed_or_added_shared_file_fails_the_guard(tmp_path):
    build_once(tmp_path, "shared", _ledger)
    (tmp_path / "shared" / "report.html").write_text("<p>2</p>", "utf-8")
    (tmp_path / "shared" / "extra.pdf").write_bytes(b"%PDF")
    with pytest.raises(AssertionError, match=r"\(extra\.pdf, report\.html in"):
        assert_unchanged(tmp_path / "shared")


def test_a_copy_may_be_written_without_touching_the_shared_ledger(tmp_path):
    build_once(tmp_path, "shared", _ledger)
    url = copy_sqlite(tmp_path / "shared" / "demo.db", tmp_path / "mine" / "demo.db")
    with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
        db.execute("UPDATE figures SET value = 2")
    assert_unchanged(tmp_path / "shared")


def test_workers_asking_at_once_build_once_and_share_the_summary(tmp_path):
    builds = []

    def slow_build(folder: Path) -> dict[str, int]:
        builds.append(folder)
        time.sleep(0.3)  # long enough for the other worker to ask meanwhile
        return {"snapshot_id": 7}

    summaries = []
    workers = [
        threading.Thread(target=lambda: summaries.append(build_once(tmp_path, "x", slow_build)))
        for _ in range(3)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert len(builds) == 1
    assert summaries == [{"snapshot_id": 7}] * 3


def test_a_build_that_failed_half_way_is_started_over(tmp_path):
    def failing(folder: Path) -> dict:
        (folder / "half.db").write_bytes(b"half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        build_once(tmp_path, "x", failing)
    assert build_once(tmp_path, "x", _ledger) == {"built": "yes"}
    assert not (tmp_path / "x" / "half.db").exists()
