"""Audit seals at scale: hashing, sealing and verifying 1,000,000 revisions; backup, restore.

Run:  .venv/bin/python benchmarks/audit_speed.py [--rows N] [--backend sqlite|postgresql|both]

Per backend, a fresh ledger gets N revisions in one changeset through ``revisions.append``
(the write path every import, approval and lock uses) and one audit entry that seals them.
Timed separately: the content hashes alone (``integrity.with_content_hashes``), the insert
with them, the seal (``audit.record``: reads back the ids and hashes and digests them),
``verify_ledger`` (reads and re-hashes every revision), and a backup and restore of the
whole ledger into an empty database of the same kind.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from scratch_schema import scratch_schema_database
from sqlalchemy import Engine

from esgledger.ledger import audit, backup, calendar
from esgledger.ledger.database import migrate, open_database, unit_of_work
from esgledger.ledger.integrity import with_content_hashes
from esgledger.ledger.orgstore import save_entities
from esgledger.ledger.revisions import DRAFT, append, open_changeset
from esgledger.ledger.verify import verify_ledger
from esgledger.org import Entity

ENTITIES = 700


def rows(count: int) -> list[dict]:
    months = [f"2024-{m:02d}" for m in range(1, 13)]
    return [
        {
            "entity": f"E{n % ENTITIES:04d}",
            "period": months[(n // ENTITIES) % 12],
            "indicator": f"energy.x{n // (ENTITIES * 12)}",
            "value": str(n * 0.25),
            "unit": "MWh",
            "canonical_value": n * 0.25,
            "canonical_unit": "MWh",
            "status": DRAFT,
            "is_tombstone": False,
            "restatement": False,
            "quality": "measured",
            "comment": "from the meter" if n % 5 == 0 else None,
            "source_sheet": None,
            "source_row": n + 2,
            "parent_id": None,
        }
        for n in range(count)
    ]


def prepare(database: Engine) -> None:
    migrate(database)
    group = [Entity(code="GRP", name_en="Group", name_zh="集团", kind="group")]
    group += [
        Entity(code=f"E{n:04d}", name_en=f"E{n}", name_zh=f"E{n}", kind="facility", parent="GRP")
        for n in range(ENTITIES)
    ]
    with unit_of_work(database) as session:
        calendar.open_years(session, "bench", [2024])
        save_entities(session, "bench", group)


def timed(label: str, started: float) -> float:
    took = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  {label:<34} {took:8.1f} s   (peak RSS {peak:,.0f} MB)", flush=True)
    return took


def run(make: callable, count: int) -> None:
    data = rows(count)
    with make() as database, make() as target, tempfile.TemporaryDirectory() as folder:
        prepare(database)
        with unit_of_work(database) as session:
            changeset = open_changeset(session, "bench", "import")
            started = time.perf_counter()
            with_content_hashes(changeset, data)
            timed("content hashes alone", started)
            started = time.perf_counter()
            append(session, changeset, data)
            timed("append (hashes + insert)", started)
            started = time.perf_counter()
            audit.record(session, "bench", "import", {"changeset": changeset.id})
            timed("seal (audit.record)", started)
        started = time.perf_counter()
        with unit_of_work(database) as session:
            result = verify_ledger(session)
        timed(f"verify ({result.revisions:,} revisions)", started)
        assert result.ok, result.breaks[:3]
        archive = Path(folder) / "backup.zip"
        started = time.perf_counter()
        backup.backup(database, archive)
        timed(f"backup ({archive.stat().st_size / 1e6:,.0f} MB)", started)
        started = time.perf_counter()
        backup.restore(archive, target)
        timed("restore", started)


@contextmanager
def sqlite_database() -> Iterator[Engine]:
    with tempfile.TemporaryDirectory() as folder:
        database = open_database(f"sqlite:///{Path(folder) / 'bench.db'}")
        yield database
        database.dispose()


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args(argv)
    backends = {"sqlite": sqlite_database, "postgresql": scratch_schema_database}
    for name, make in backends.items():
        if args.backend in (name, "both"):
            print(f"{name}: {args.rows:,} revisions", flush=True)
            run(make, args.rows)


if __name__ == "__main__":
    main(sys.argv[1:])
