"""The demo group computed without a ledger: its rows through the engine, yearly and monthly."""

from __future__ import annotations

from functools import cache

import polars as pl

from esgledger.catalog import load_catalog
from esgledger.demo.generate import DATA_DIR, factor_file, rows
from esgledger.engine.arrays.cube import OBSERVATION_SCHEMA
from esgledger.engine.methodset import get_method_sets
from esgledger.engine.results import Results
from esgledger.engine.run import calculate
from esgledger.factors import load_factor_sets
from esgledger.org import OrgTree, read_entities
from esgledger.periods import Granularity
from esgledger.units import conversion_factor


@cache
def demo_frame() -> pl.DataFrame:
    catalog, data = load_catalog(), rows()
    values = [
        float(r["value"]) * conversion_factor(r["unit"], catalog.get(r["indicator"]).unit)
        for r in data
    ]
    return pl.DataFrame(
        {
            "entity": [r["entity"] for r in data],
            "period": [r["period"] for r in data],
            "indicator": [r["indicator"] for r in data],
            "value": values,
            "revision_id": list(range(1, len(data) + 1)),
            "quality": [r.get("quality") or None for r in data],
            "source": ["demo"] * len(data),
        },
        schema=OBSERVATION_SCHEMA,
    )


@cache
def demo_results(granularity: str = "year") -> Results:
    """cn-default with the demo factor file: 2022-2024, or the months of 2024."""
    periods = ["2022", "2023", "2024"]
    if granularity == "month":
        periods = [f"2024-{m:02d}" for m in range(1, 13)]
    return calculate(
        demo_frame(),
        OrgTree(read_entities(DATA_DIR / "org.yaml")),
        load_catalog(),
        load_factor_sets([factor_file()]),
        get_method_sets("cn-default")[0],
        periods,
        Granularity.MONTH if granularity == "month" else Granularity.YEAR,
    )
