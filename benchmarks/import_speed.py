"""Import speed: a long CSV of 1,000,000 rows into SQLite and PostgreSQL, against a bulk insert.

Run:  .venv/bin/python benchmarks/import_speed.py [--rows N] [--backend sqlite|postgresql|both]

The CSV (entity, period, indicator, value, unit, comment) covers about 700 subsidiaries x
12 months of 2024 x 120 input indicators of the shipped catalog, in their catalog units
except that some subsidiaries report energy in kWh, masses in kg and volumes in 10^4 m3.

Per backend, two fresh ledgers are set up alike (migrated, 2024 opened, the entities
saved) and timed, commit included:

* import: ``esgledger.ledger.imports.apply.import_file``, i.e. read + validate + store;
* baseline: read the same CSV with the csv module and insert the same rows into
  ``revisions`` under one changeset with ``session.execute(insert(Revision), rows)``, the
  statement the ledger itself uses, without validation or unit conversion.

The requirement is that the import stays within 3x of the baseline's time. PostgreSQL is
the server at ``$ESGLEDGER_BENCH_PG_URL`` (default postgres@127.0.0.1:5432/test); each
ledger gets its own schema, dropped afterwards. Without a server, PostgreSQL is skipped.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import random
import resource
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from scratch_schema import PG_URL, scratch_schema_engine
from sqlalchemy import Engine, create_engine, insert
from sqlalchemy.exc import OperationalError

from esgledger.catalog import load_catalog
from esgledger.ledger import audit, calendar
from esgledger.ledger.database import migrate, open_engine, unit_of_work
from esgledger.ledger.imports.apply import import_file
from esgledger.ledger.integrity import with_content_hashes
from esgledger.ledger.orgstore import save_entities
from esgledger.ledger.revisions import DRAFT, open_changeset
from esgledger.ledger.schema import Revision
from esgledger.org import Entity

YEAR = 2024
MONTHS = [f"{YEAR}-{month:02d}" for month in range(1, 13)]
INDICATOR_COUNT = 120
HEADER = ["entity", "period", "indicator", "value", "unit", "comment"]
# catalog unit -> (the other unit some subsidiaries report in, value multiplier)
OTHER_UNITS = {"MWh": ("kWh", 1000.0), "t": ("kg", 1000.0), "m3": ("10^4 m3", 1e-4)}
COMMENTS = ["", "", "", "", "", "", "", "", "from the monthly meter reading", "estimated"]


def pick_indicators(catalog: Any) -> list[tuple[str, str]]:
    """120 input indicators (id, unit), the MWh, t and m3 ones first so that all convert."""
    inputs = catalog.inputs()
    first = [i for i in inputs if i.unit in OTHER_UNITS]
    rest = [i for i in inputs if i.unit not in OTHER_UNITS]
    return [(i.id, i.unit) for i in (first + rest)[:INDICATOR_COUNT]]


def make_entities(rows: int, indicators: int) -> list[Entity]:
    count = math.ceil(rows / (len(MONTHS) * indicators))
    group = Entity(code="G", name_en="Group", name_zh="集团", kind="group")
    return [group] + [
        Entity(
            code=f"S{n:04d}",
            name_en=f"Subsidiary {n}",
            name_zh=f"子公司{n}",
            kind="subsidiary",
            parent="G",
        )
        for n in range(1, count + 1)
    ]


def csv_records(
    entities: list[Entity], indicators: list[tuple[str, str]], rows: int
) -> Iterator[list[str]]:
    rng = random.Random(20240101)
    made = 0
    for number, entity in enumerate(entities[1:]):
        converts = number % 4 == 0  # one subsidiary in four reports in the other unit
        for period in MONTHS:
            for indicator, unit in indicators:
                if made == rows:
                    return
                value = rng.uniform(0, 100) if unit == "%" else rng.lognormvariate(6, 2)
                if converts and unit in OTHER_UNITS:
                    unit, factor = OTHER_UNITS[unit]
                    value *= factor
                yield [entity.code, period, indicator, f"{value:.4f}", unit, rng.choice(COMMENTS)]
                made += 1


def write_csv(path: Path, rows: int, catalog: Any) -> list[Entity]:
    """Write the benchmark file; returns the entities it names (the group first)."""
    indicators = pick_indicators(catalog)
    entities = make_entities(rows, len(indicators))
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(HEADER)
        out.writerows(csv_records(entities, indicators, rows))
    return entities


@contextmanager
def fresh_ledger(backend: str, folder: Path, entities: list[Entity]) -> Iterator[Engine]:
    """A migrated ledger with 2024 open and the entities saved, deleted afterwards."""
    with _empty_database(backend, folder) as engine:
        migrate(engine)
        with unit_of_work(engine) as session:
            calendar.open_years(session, "bench", [YEAR])
            save_entities(session, "bench", entities)
        yield engine


@contextmanager
def _empty_database(backend: str, folder: Path) -> Iterator[Engine]:
    if backend == "sqlite":
        engine = open_engine(f"sqlite:///{folder / f'{uuid.uuid4().hex}.db'}")
        yield engine
        engine.dispose()
        return
    with scratch_schema_engine() as engine:
        yield engine


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


def run_import(engine: Engine, path: Path, catalog: Any) -> int:
    with unit_of_work(engine) as session:
        result = import_file(session, path, "bench", catalog)
    return result.new_revisions


def run_baseline(engine: Engine, path: Path, _catalog: Any) -> int:
    """The same rows, as written, straight into ``revisions``: no checks, no conversion."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        rows = [
            {
                "entity": entity,
                "period": period,
                "indicator": indicator,
                "value": value,
                "unit": unit,
                "canonical_value": float(value),
                "canonical_unit": unit,
                "status": DRAFT,
                "is_tombstone": False,
                "comment": comment or None,
                "source_row": number,
            }
            for number, (entity, period, indicator, value, unit, comment) in enumerate(reader, 2)
        ]
    with unit_of_work(engine) as session:
        changeset = open_changeset(session, "bench", "import", source_file=path.name)
        # every write of the ledger carries content hashes and is sealed by an audit entry
        # (a commit without one is refused), so the baseline does both as well
        session.execute(insert(Revision), with_content_hashes(changeset, rows))
        audit.record(session, "bench", "import", {"changeset": changeset.id})
    return len(rows)


def timed(
    action: Callable[[Engine, Path, Any], int], engine: Engine, path: Path, catalog: Any
) -> tuple[int, float]:
    start = time.perf_counter()
    stored = action(engine, path, catalog)
    return stored, time.perf_counter() - start


def bench_backend(backend: str, folder: Path, path: Path, rows: int, catalog: Any) -> None:
    entities = make_entities(rows, INDICATOR_COUNT)
    seconds = {}
    for label, action in (("baseline (bulk insert)", run_baseline), ("import", run_import)):
        with fresh_ledger(backend, folder, entities) as engine:
            stored, seconds[label] = timed(action, engine, path, catalog)
        if stored != rows:
            sys.exit(f"{backend} {label}: stored {stored} rows, expected {rows}")
        print(
            f"{backend:<10} {label:<24} {rows:>9,} rows {seconds[label]:8.1f} s "
            f"{rows / seconds[label]:>10,.0f} rows/s   peak RSS so far {peak_rss_mb():,.0f} MB"
        )
    ratio = seconds["import"] / seconds["baseline (bulk insert)"]
    verdict = "within" if ratio <= 3 else "NOT within"
    print(f"{backend:<10} import / baseline = {ratio:.2f}x ({verdict} the 3x budget)")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    catalog = load_catalog()
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / "long.csv"
        start = time.perf_counter()
        entities = write_csv(path, args.rows, catalog)
        print(
            f"wrote {args.rows:,} rows ({len(entities) - 1} subsidiaries, {INDICATOR_COUNT} "
            f"indicators, 12 months) in {time.perf_counter() - start:.1f} s, "
            f"{path.stat().st_size / 1e6:.0f} MB; python {sys.version.split()[0]}, "
            f"{os.cpu_count()} CPUs"
        )
        for backend in backends:
            reason = postgres_unavailable() if backend == "postgresql" else None
            if reason:
                print(f"{backend:<10} skipped: {reason}")
                continue
            bench_backend(backend, folder, path, args.rows, catalog)


if __name__ == "__main__":
    main()
