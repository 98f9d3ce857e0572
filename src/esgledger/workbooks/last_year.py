"""Last year's value of each indicator an entity owes, shown beside the row to fill.

A yearly figure is the value stored for the year. A monthly one is the year's months
combined as the catalog says values combine over time: a flow (energy used) adds up, a
stock (headcount, a pressure) is the newest month's value. Read from the current values,
whatever their status (a draft of last year is still what the reporter wrote).
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
from sqlalchemy.orm import Session

from esgledger.catalog.model import Indicator, QuantityType
from esgledger.ledger.revisions import Selection, latest_revisions
from esgledger.periods import Period

_SCHEMA = {"indicator": pl.Utf8, "period": pl.Utf8, "value": pl.Float64}


def last_year_values(
    session: Session, entity: str, year: int, indicators: Sequence[Indicator]
) -> dict[str, float]:
    """Indicator id -> its value of ``year`` (in the indicator's unit), where one is stored."""
    periods = [str(year), *(str(m) for m in Period.parse(year).months())]
    selection = Selection([entity], periods, [i.id for i in indicators])
    stored = [
        (r.indicator, r.period, r.canonical_value)
        for r in latest_revisions(session, selection)
        if not r.is_tombstone and r.canonical_value is not None
    ]
    return combined(pl.DataFrame(stored, schema=_SCHEMA, orient="row"), indicators, year)


def combined(frame: pl.DataFrame, indicators: Sequence[Indicator], year: int) -> dict[str, float]:
    """One value per indicator: the year's own, else its months summed (a flow) or the
    newest month (a stock)."""
    stocks = [i.id for i in indicators if i.quantity_type is QuantityType.STOCK]
    yearly = frame.filter(pl.col("period") == str(year))
    months = (
        frame.filter(pl.col("period") != str(year))
        .sort("period")
        .group_by("indicator")
        .agg(pl.col("value").sum().alias("sum"), pl.col("value").last().alias("last"))
        .select(
            "indicator",
            pl.when(pl.col("indicator").is_in(stocks))
            .then(pl.col("last"))
            .otherwise(pl.col("sum"))
            .alias("value"),
        )
        .filter(~pl.col("indicator").is_in(yearly["indicator"].to_list()))
    )
    both = pl.concat([yearly.select("indicator", "value"), months])
    return dict(both.iter_rows())
