"""Expensive test inputs built once per run, shared read-only, and checked for writes.

The demo ledger and its report take most of a minute of CPU to build. Under pytest-xdist
each worker would build its own, so the first worker to ask builds it into a folder that
all workers of the run share (the parent of each worker's temporary folder), under a file
lock; the others wait for it and then read it. The build records the SHA-256 of every file
it wrote; :func:`changed_files` compares them again at the end of the session, so a test
that writes to shared state fails the run instead of quietly changing what later tests see.
A test that needs to write copies the file first.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from filelock import FileLock

RECORD = "built.json"


def shared_root(basetemp: Path) -> Path:
    """The folder every worker of this run can see: the run's temporary folder."""
    return basetemp.parent if os.environ.get("PYTEST_XDIST_WORKER") else basetemp


def build_once(root: Path, name: str, build: Callable[[Path], dict[str, Any]]) -> dict[str, Any]:
    """The summary ``build(folder)`` returned for ``root/name``, building it only once.

    A build that failed half-way leaves no record, so the next worker to ask starts over.
    """
    folder = root / name
    record = folder / RECORD
    with FileLock(str(root / f"{name}.lock")):
        if not record.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            summary = build(folder)
            files = fingerprint(folder)
            record.write_text(json.dumps({"summary": summary, "files": files}), "utf-8")
    return json.loads(record.read_text("utf-8"))["summary"]


def fingerprint(folder: Path) -> dict[str, str]:
    """SHA-256 of each file under ``folder``, by relative path.

    SQLite's shared-memory index (``-shm``) changes when a reader opens the database and an
    empty write-ahead log (``-wal``) holds nothing, so neither counts; a WAL that holds
    pages is a write and does.
    """
    hashes = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        if name == RECORD or name.endswith("-shm") or name.endswith(".lock"):
            continue
        if name.endswith("-wal") and path.stat().st_size == 0:
            continue
        hashes[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes


def changed_files(folder: Path) -> list[str]:
    """The files under ``folder`` that differ from the build's record: changed, new, gone."""
    recorded = json.loads((folder / RECORD).read_text("utf-8"))["files"]
    now = fingerprint(folder)
    return sorted(
        name for name in recorded.keys() | now.keys() if recorded.get(name) != now.get(name)
    )


def assert_unchanged(folder: Path) -> None:
    """Fail, naming the files, when a test wrote to shared state."""
    changed = changed_files(folder)
    assert not changed, (
        f"a test wrote to the shared, read-only {folder.name} ({', '.join(changed)} in "
        f"{folder}); a test that writes must work on its own copy (copy_sqlite)"
    )


def copy_sqlite(source: Path, target: Path) -> str:
    """Copy a SQLite ledger a test may then change, with its files folder (``ledger.db``
    keeps them in ``ledger-files/``) when it has one; returns the copy's URL."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    files = source.with_name(f"{source.stem}-files")
    if files.is_dir():
        shutil.copytree(files, target.with_name(f"{target.stem}-files"), dirs_exist_ok=True)
    return f"sqlite:///{target}"
