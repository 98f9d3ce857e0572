"""The demo's two checks against the reference report, each named for what it proves.

*Import round trip* (:func:`import_round_trip`): the ledger's group totals of the imported
rows equal the totals the demo files were split from (``published.yaml``, ``modeled.yaml``).
It guards the generator and the importer (every row arrives, units convert back), not the
engine, and it cannot fail when a published figure changes: the files are split from that
very figure.

*Reproduction* (:func:`reproduce_demo`): the reference report's figures, transcribed with
their section, table and line into ``published_figures.csv`` independently of the files the
demo data is generated from, against the engine's consolidated results for the ledger
(:mod:`esgledger.calc.published`). It fails when a published figure or a demo input changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import polars as pl
from sqlalchemy import Engine

from esgledger.calc.published import PublishedFigure, Reproduction, read_figures, reproduce
from esgledger.catalog.registry import Catalog
from esgledger.demo.generate import DATA_DIR, published_totals
from esgledger.engine.results import Results
from esgledger.ledger import snapshots
from esgledger.ledger.database import unit_of_work
from esgledger.periods import Period

FIGURES_FILE = DATA_DIR / "published_figures.csv"


def published_figures(catalog: Catalog, path: Path = FIGURES_FILE) -> tuple[PublishedFigure, ...]:
    """The reference report's figures the demo's engine results are held against."""
    return read_figures(path, catalog)


def reproduce_demo(
    results: Results, catalog: Catalog, path: Path = FIGURES_FILE
) -> list[Reproduction]:
    """Each published figure against the engine's results for the demo ledger."""
    return reproduce(published_figures(catalog, path), results)


@dataclass(frozen=True)
class RoundTrip:
    """One group total the demo files were split from, and what the ledger adds up to."""

    indicator: str
    year: int
    split_from: Decimal
    imported: float

    @property
    def equal(self) -> bool:
        return abs(float(self.split_from) - self.imported) <= 1e-6 * max(1.0, abs(self.imported))


def import_round_trip(database: Engine, catalog: Catalog, root: str) -> list[RoundTrip]:
    """Every published total the files were split from, against the imported rows' sum."""
    totals = _yearly_group_totals(database, catalog, root)
    return [
        RoundTrip(indicator, year, figure, totals.get((indicator, year), 0.0))
        for (indicator, year), figure in sorted(published_totals().items())
    ]


def _yearly_group_totals(
    database: Engine, catalog: Catalog, root: str
) -> dict[tuple[str, int], float]:
    """Group figure per indicator and year, straight from the approved rows.

    Summable indicators add up over entities and months; any other (a rate, a share) is
    taken as the group entity reports it, since adding rates would be meaningless. This is
    deliberately not the engine: the round trip checks the import, the reproduction the engine.
    """
    with unit_of_work(database) as session:
        values = snapshots.approved_as_of(session)
    frame = pl.DataFrame(
        {
            "entity": [v.entity for v in values],
            "indicator": [v.indicator for v in values],
            "year": [Period.parse(v.period).year for v in values],
            "value": [v.value for v in values],
        },
        schema={"entity": pl.Utf8, "indicator": pl.Utf8, "year": pl.Int64, "value": pl.Float64},
    )
    summable = [i.id for i in catalog if i.aggregation == "sum"]
    frame = frame.filter(pl.col("indicator").is_in(summable) | (pl.col("entity") == root))
    totals = frame.group_by("indicator", "year").agg(pl.col("value").sum())
    return {(i, y): v for i, y, v in totals.iter_rows()}
