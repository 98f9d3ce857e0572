"""How fast a large XLSX import is validated and stored, against a row-by-row baseline.

Run:  .venv/bin/python benchmarks/import_speed.py [ROWS]

Both paths import the same long-layout workbook into fresh ledgers in this run. The
baseline does what a straightforward implementation would: for each row, look up the
indicator, convert the unit with a pint Quantity, query the current revision and insert
through the ORM. esgledger's path resolves distinct values once and inserts in one
statement. Prints seconds, rows per second and the ratio.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import select

from esgledger.catalog import load_catalog
from esgledger.ledger import calendar
from esgledger.ledger.database import migrate, open_engine, unit_of_work, utcnow
from esgledger.ledger.imports.apply import import_file
from esgledger.ledger.orgstore import save_entities
from esgledger.ledger.schema import Changeset, Revision
from esgledger.org import Entity
from esgledger.units import Q_, parse_unit

INDICATORS = [
    ("energy.purchased_electricity", "kWh"),
    ("energy.natural_gas", "m3"),
    ("energy.diesel", "t"),
    ("energy.power_coal", "t"),
    ("production.reo_output", "tREO"),
]


def write_workbook(path: Path, rows: int) -> list[Entity]:
    entities = [Entity(code="G", name_en="G", name_zh="集团", kind="group")]
    entities += [
        Entity(code=f"E{i:03d}", name_en=f"E{i}", name_zh=f"单位{i}", kind="subsidiary", parent="G")
        for i in range(rows // (12 * len(INDICATORS)) + 1)
    ]
    book = Workbook()
    sheet = book.active
    sheet.title = "data"
    sheet.append(["entity", "period", "indicator", "value", "unit", "comment"])
    count = 0
    for entity in entities[1:]:
        for month in range(1, 13):
            for indicator, unit in INDICATORS:
                if count == rows:
                    break
                sheet.append(
                    [entity.code, f"2024-{month:02d}", indicator, 1000 + count, unit, None]
                )
                count += 1
    book.save(path)
    return entities


def fresh_ledger(url: str, entities: list[Entity]):
    engine = open_engine(url)
    migrate(engine)
    with unit_of_work(engine) as session:
        calendar.open_years(session, "bench", [2024])
        save_entities(session, "bench", entities)
    return engine


def baseline_import(engine, path: Path, catalog) -> None:
    from openpyxl import load_workbook

    sheet = load_workbook(path, read_only=True).worksheets[0]
    with unit_of_work(engine) as session:
        changeset = Changeset(author="bench", created_at=utcnow(), action="import")
        session.add(changeset)
        session.flush()
        for entity, period, indicator_id, value, unit, _ in sheet.iter_rows(
            min_row=2, values_only=True
        ):
            indicator = catalog.get(indicator_id)
            canonical = Q_(float(value), parse_unit(unit)).to(parse_unit(indicator.unit)).magnitude
            parent = session.scalars(
                select(Revision)
                .where(
                    Revision.entity == entity,
                    Revision.period == period,
                    Revision.indicator == indicator_id,
                )
                .order_by(Revision.id.desc())
                .limit(1)
            ).first()
            session.add(
                Revision(
                    changeset_id=changeset.id,
                    entity=entity,
                    period=period,
                    indicator=indicator_id,
                    value=str(value),
                    unit=unit,
                    canonical_value=canonical,
                    canonical_unit=indicator.unit,
                    status="draft",
                    parent_id=parent.id if parent else None,
                )
            )
            session.flush()


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("rows", nargs="?", type=int, default=10_000)
    args = parser.parse_args()
    catalog = load_catalog()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.xlsx"
        entities = write_workbook(path, args.rows)
        fast_engine = fresh_ledger(f"sqlite:///{folder}/fast.db", entities)
        base_engine = fresh_ledger(f"sqlite:///{folder}/base.db", entities)

        def fast() -> None:
            with unit_of_work(fast_engine) as session:
                import_file(session, path, "bench", catalog)

        fast_seconds = timed(fast)
        base_seconds = timed(lambda: baseline_import(base_engine, path, catalog))
    print(f"rows: {args.rows}")
    for label, seconds in (
        ("esgledger import (validate + store)", fast_seconds),
        ("row-by-row baseline", base_seconds),
    ):
        print(f"{label:<36} {seconds:6.2f} s  {args.rows / seconds:>9,.0f} rows/s")
    print(f"ratio baseline / esgledger: {base_seconds / fast_seconds:.1f}x")


if __name__ == "__main__":
    main()
