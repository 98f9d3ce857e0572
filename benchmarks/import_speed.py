"""Import speed and memory: a long CSV of 1,000,000 rows, against a raw bulk insert.

Run:  .venv/bin/python benchmarks/import_speed.py [--rows N] [--repeat R]
                                                  [--backend sqlite|postgresql|both]

The CSV (entity, period, indicator, value, unit, comment) covers about 700 subsidiaries x
12 months of 2024 x 120 input indicators of the shipped catalog, in their catalog units
except that some subsidiaries report energy in kWh, masses in kg and volumes in 10^4 m3.

For each backend two programs run in processes of their own, each on a fresh ledger per
run (migrated, 2024 opened, the entities saved; not timed), timed from the file to the
commit, a first call and then R repeated runs in the same process:

* baseline, the honest limit: the csv module reads the file and the driver writes its
  rows into ``revisions`` in one transaction, ``executemany`` on SQLite and ``COPY`` on
  PostgreSQL, with no check, conversion, comparison, hash or audit entry;
* import: ``esgledger.ledger.imports.apply.import_file``: read, resolve, check, compare
  with the ledger, hash, write, seal, commit.

Each process reports its peak resident memory (``getrusage``), so the import's peak is its
own. The budgets: the import takes at most 2x the baseline's time, and its process stays
under 1.5 GB at 1,000,000 rows. PostgreSQL is the server at ``$ESGLEDGER_BENCH_PG_URL``
(default postgres@127.0.0.1:5432/test), a schema per ledger, dropped afterwards; without a
server, PostgreSQL is skipped.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from import_data import fresh_ledger, make_entities, raw_bulk_insert, write_csv
from scratch_schema import PG_URL
from sqlalchemy import Engine, create_engine
from sqlalchemy.exc import OperationalError

from esgledger.catalog import load_catalog
from esgledger.catalog.registry import Catalog
from esgledger.ledger.database import unit_of_work
from esgledger.ledger.imports.apply import import_file

TIME_BUDGET = 2.0
MEMORY_BUDGET_MB = 1500.0
KINDS = ("baseline", "import")


def postgres_unavailable() -> str | None:
    """None when the PostgreSQL server answers, else why it is skipped."""
    try:
        probe = create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with probe.connect():
            pass
        probe.dispose()
    except (OperationalError, ImportError) as exc:
        return f"no PostgreSQL at {PG_URL} ({type(exc).__name__}: {exc})".splitlines()[0]
    return None


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def run_import(database: Engine, path: Path, catalog: Catalog) -> tuple[int, float | None]:
    with unit_of_work(database) as session:
        result = import_file(session, path, "bench", catalog)
    return result.new_revisions, None


def run_baseline(database: Engine, path: Path, _catalog: Any) -> tuple[int, float | None]:
    return raw_bulk_insert(database, path)


def child(kind: str, backend: str, path: Path, rows: int, repeat: int) -> None:
    """One program's runs in this process; prints one JSON line of what it measured."""
    action = run_import if kind == "import" else run_baseline
    catalog = load_catalog()
    entities = make_entities(rows)
    report: dict[str, Any] = {"seconds": [], "driver_seconds": [], "cpu_seconds": []}
    for run in range(1 + repeat):
        with fresh_ledger(backend, path.parent, entities) as database:
            if run == 0:
                report["rss_before_mb"] = peak_rss_mb()
            start, cpu = time.perf_counter(), time.process_time()
            stored, driver = action(database, path, catalog)
            report["seconds"].append(time.perf_counter() - start)
            report["cpu_seconds"].append(time.process_time() - cpu)
            report["driver_seconds"].append(driver)
        if stored != rows:
            sys.exit(f"{backend} {kind}: stored {stored} rows, expected {rows}")
        if run == 0:
            report["peak_first_mb"] = peak_rss_mb()
    report["peak_mb"] = peak_rss_mb()
    print(json.dumps(report))


def measure(kind: str, backend: str, path: Path, rows: int, repeat: int) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", kind, "--backend", backend]
    command += ["--file", str(path), "--rows", str(rows), "--repeat", str(repeat)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"{backend} {kind} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def describe(backend: str, kind: str, rows: int, report: dict[str, Any]) -> None:
    first, repeated = report["seconds"][0], report["seconds"][1:] or report["seconds"]
    median = statistics.median(repeated)
    driver = [d for d in report["driver_seconds"][1:] if d is not None]
    in_driver = f", of which driver {statistics.median(driver):.1f} s" if driver else ""
    cpu = statistics.median(report["cpu_seconds"][1:] or report["cpu_seconds"])
    print(
        f"{backend:<10} {kind:<8} first {first:6.1f} s   repeated: median {median:6.1f} s "
        f"(min {min(repeated):.1f}, max {max(repeated):.1f}, n={len(repeated)}){in_driver}, "
        f"process CPU {cpu:.1f} s, "
        f"{rows / median:,.0f} rows/s   peak RSS {report['peak_first_mb']:,.0f} MB after the "
        f"first run, {report['peak_mb']:,.0f} MB in all "
        f"(before: {report['rss_before_mb']:,.0f} MB)"
    )


def verdicts(backend: str, reports: dict[str, dict[str, Any]]) -> None:
    base, imp = reports["baseline"]["seconds"], reports["import"]["seconds"]
    first = imp[0] / base[0]
    median = statistics.median(imp[1:] or imp) / statistics.median(base[1:] or base)
    worst = max(imp[1:] or imp) / min(base[1:] or base)
    peak = reports["import"]["peak_mb"]

    def within(ok: bool) -> str:
        return "within" if ok else "NOT within"

    print(
        f"{backend:<10} import / baseline: first call {first:.2f}x, median {median:.2f}x, "
        f"slowest import / fastest baseline {worst:.2f}x ({within(median <= TIME_BUDGET)} "
        f"the {TIME_BUDGET:g}x budget); peak {peak:,.0f} MB "
        f"({within(peak <= MEMORY_BUDGET_MB)} the {MEMORY_BUDGET_MB:,.0f} MB budget)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs after the first call")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--child", choices=KINDS, help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.backend, args.file, args.rows, args.repeat)
        return
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "long.csv"
        start = time.perf_counter()
        entities = write_csv(path, args.rows, load_catalog())
        print(
            f"wrote {args.rows:,} rows ({len(entities) - 1} subsidiaries, 12 months) in "
            f"{time.perf_counter() - start:.1f} s, {path.stat().st_size / 1e6:.0f} MB; "
            f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
            f"load average {os.getloadavg()[0]:.1f}"
        )
        for backend in backends:
            reason = postgres_unavailable() if backend == "postgresql" else None
            if reason:
                print(f"{backend:<10} skipped: {reason}")
                continue
            reports = {kind: measure(kind, backend, path, args.rows, args.repeat) for kind in KINDS}
            for kind in KINDS:
                describe(backend, kind, args.rows, reports[kind])
            verdicts(backend, reports)
        print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
