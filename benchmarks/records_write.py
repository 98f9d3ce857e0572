"""Writing register records in bulk: ``append_records`` against a raw executemany.

Run:  .venv/bin/python benchmarks/records_write.py [--rows N] [--backend sqlite|postgresql|both]

Per backend, in a fresh ledger: the baseline is one raw ``executemany`` INSERT of N rows
into ``register_records`` (no version lookup, no audit entry, no seal), rolled back; then
``append_records`` writes the same N records in one call (next versions looked up, one
multi-row insert, one audit entry sealing every row) and ``verify_ledger`` checks them.
Printed: rows/s of each and the ratio of the two times.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from scratch_schema import scratch_schema_database
from sqlalchemy import Engine, insert

from esgledger.ledger.database import migrate, open_database, unit_of_work, utcnow
from esgledger.ledger.records import RecordChange, append_records, canonical_payload
from esgledger.ledger.schema import RecordVersion
from esgledger.ledger.verify import verify_ledger

REGISTER = "bench.things"


def changes(count: int) -> list[RecordChange]:
    return [
        RecordChange(
            f"K-{n:06d}",
            {"n": n, "name": f"holding {n}", "quantity": n * 0.5, "unit": "t"},
            entity=f"E{n % 50:03d}",
        )
        for n in range(count)
    ]


def raw_rows(batch: list[RecordChange]) -> list[dict]:
    at = utcnow()
    return [
        {"register": REGISTER, "record_key": c.key, "version": 1, "entity": c.entity,
         "payload": canonical_payload(c.payload), "retired": False, "author": "bench",
         "recorded_at": at, "reason": None}
        for c in batch
    ]  # fmt: skip


@contextmanager
def sqlite_database() -> Iterator[Engine]:
    with tempfile.TemporaryDirectory() as folder:
        database = open_database(f"sqlite:///{Path(folder) / 'ledger.db'}")
        try:
            yield database
        finally:
            database.dispose()


def run(name: str, database: Engine, count: int) -> None:
    migrate(database)
    batch = changes(count)
    rows = raw_rows(batch)
    with database.connect() as connection:
        started = time.perf_counter()
        connection.execute(insert(RecordVersion.__table__), rows)  # type: ignore[attr-defined]
        raw = time.perf_counter() - started
        connection.rollback()
    started = time.perf_counter()
    with unit_of_work(database) as session:
        append_records(session, REGISTER, batch, actor="bench", action="bench.write")
    sealed = time.perf_counter() - started
    with unit_of_work(database) as session:
        verified = verify_ledger(session)
    assert verified.ok, verified.problem
    print(
        f"{name:10s} {count:>7,} records  raw executemany {count / raw:>9,.0f} rows/s  "
        f"append_records (sealed) {count / sealed:>9,.0f} rows/s  ratio {sealed / raw:.1f}"
    )


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args(argv)
    backends = {"sqlite": sqlite_database, "postgresql": scratch_schema_database}
    for name, make in backends.items():
        if args.backend in (name, "both"):
            with make() as database:
                run(name, database, args.rows)


if __name__ == "__main__":
    main(sys.argv[1:])
