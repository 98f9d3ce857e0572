"""The import benchmark's file and ledgers, and the raw bulk insert it is held against.

Imported from ``import_speed.py`` (the scripts' own folder is on the path).
"""

from __future__ import annotations

import csv
import io
import math
import random
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import Any

from scratch_schema import scratch_schema_database
from sqlalchemy import Engine

from esgledger.catalog.registry import Catalog
from esgledger.ledger import calendar
from esgledger.ledger.database import migrate, open_database, unit_of_work, utcnow
from esgledger.ledger.orgstore import save_entities
from esgledger.org import Entity

YEAR = 2024
MONTHS = [f"{YEAR}-{month:02d}" for month in range(1, 13)]
INDICATOR_COUNT = 120
HEADER = ["entity", "period", "indicator", "value", "unit", "comment"]
# catalog unit -> (the other unit some subsidiaries report in, value multiplier)
OTHER_UNITS = {"MWh": ("kWh", 1000.0), "t": ("kg", 1000.0), "m3": ("10^4 m3", 1e-4)}
COMMENTS = ["", "", "", "", "", "", "", "", "from the monthly meter reading", "estimated"]
# Every column the import writes, in the order the baseline writes them.
BASELINE_COLUMNS = (
    "changeset_id, parent_id, origin_id, entity, period, indicator, value, unit, "
    "canonical_value, canonical_unit, status, is_tombstone, restatement, quality, comment, "
    "source_sheet, source_row, content_hash"
)
PLACEHOLDER_HASH = "0" * 64
BATCH = 50_000


def pick_indicators(catalog: Catalog) -> list[tuple[str, str]]:
    """120 input indicators (id, unit), the MWh, t and m3 ones first so that all convert."""
    inputs = catalog.inputs()
    first = [i for i in inputs if i.unit in OTHER_UNITS]
    rest = [i for i in inputs if i.unit not in OTHER_UNITS]
    return [(i.id, i.unit) for i in (first + rest)[:INDICATOR_COUNT]]


def make_entities(rows: int, indicators: int = INDICATOR_COUNT) -> list[Entity]:
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


def write_csv(path: Path, rows: int, catalog: Catalog) -> list[Entity]:
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
    with _empty_database(backend, folder) as database:
        migrate(database)
        with unit_of_work(database) as session:
            calendar.open_years(session, "bench", [YEAR])
            save_entities(session, "bench", entities)
        yield database


@contextmanager
def _empty_database(backend: str, folder: Path) -> Iterator[Engine]:
    if backend == "sqlite":
        path = folder / f"{uuid.uuid4().hex}.db"
        database = open_database(f"sqlite:///{path}")
        yield database
        database.dispose()
        for leftover in folder.glob(f"{path.name}*"):
            leftover.unlink()
        return
    with scratch_schema_database() as database:
        yield database


def raw_bulk_insert(database: Engine, path: Path) -> tuple[int, float]:
    """The honest limit: the file's rows into ``revisions`` by the driver, nothing else.

    Reads the CSV with the csv module and writes every row, as written, in one
    transaction under one changeset: ``executemany`` on SQLite, ``COPY`` on PostgreSQL
    (rows as CSV text). The same columns as the import's, with the values as written and
    a fixed placeholder for the content hash. Returns the rows written and the seconds
    spent in the driver alone.
    """
    connection = database.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute(
            "INSERT INTO changesets (author, created_at, action) VALUES (?, ?, ?)".replace(
                "?", "%s" if database.dialect.name == "postgresql" else "?"
            ),
            ("bench", utcnow(), "import"),
        )
        cursor.execute("SELECT max(id) FROM changesets")
        (changeset_id,) = cursor.fetchone()
        write = _copy_rows if database.dialect.name == "postgresql" else _executemany_rows
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            next(reader)
            rows = (_row(changeset_id, number, cells) for number, cells in enumerate(reader, 2))
            written, driver_seconds = write(cursor, rows)
        connection.commit()
    finally:
        connection.close()
    return written, driver_seconds


def _row(changeset_id: int, number: int, cells: list[str]) -> tuple:
    entity, period, indicator, value, unit, comment = cells
    return (
        changeset_id,
        None,
        None,
        entity,
        period,
        indicator,
        value,
        unit,
        float(value),
        unit,
        "draft",
        False,
        False,
        None,
        comment or None,
        None,
        number,
        PLACEHOLDER_HASH,
    )


def _executemany_rows(cursor: Any, rows: Iterator[tuple]) -> tuple[int, float]:
    marks = ", ".join("?" * len(BASELINE_COLUMNS.split(",")))
    statement = f"INSERT INTO revisions ({BASELINE_COLUMNS}) VALUES ({marks})"
    written, seconds = 0, 0.0
    while batch := list(islice(rows, BATCH)):
        start = time.perf_counter()
        cursor.executemany(statement, batch)
        seconds += time.perf_counter() - start
        written += len(batch)
    return written, seconds


def _copy_rows(cursor: Any, rows: Iterator[tuple]) -> tuple[int, float]:
    statement = f"COPY revisions ({BASELINE_COLUMNS}) FROM STDIN (FORMAT csv)"
    written, seconds = 0, 0.0
    with cursor.copy(statement) as copy:
        while batch := list(islice(rows, BATCH)):
            text = io.StringIO()
            csv.writer(text).writerows(batch)
            start = time.perf_counter()
            copy.write(text.getvalue())
            seconds += time.perf_counter() - start
            written += len(batch)
        start = time.perf_counter()
    return written, seconds + time.perf_counter() - start
