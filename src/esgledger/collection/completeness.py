"""Completeness against what is owed: an entity is complete for a year when every owed
(indicator, period) has a current value or a "not applicable" answer.

Owed items come from :mod:`.obligations` (monthly inputs for each month, yearly inputs for
the year); values are the ledger's current observations (any status but deleted); not
applicable answers are the records of ``collection.not_applicable`` (key
``entity|period|indicator``). A value or answer for the whole year covers each month of a
monthly input (the entity reported its year's total); any value in the year answers a
yearly input. Everything
is computed over columns: owed items, answers, and an anti-join between them.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
from sqlalchemy.orm import Session

from esgledger.catalog.model import Frequency
from esgledger.catalog.registry import Catalog
from esgledger.ledger.reads.records import current_records
from esgledger.ledger.revisions import Selection, latest_revisions

NOT_APPLICABLE = "collection.not_applicable"
YEAR_SLOT = "year"  # the period column of a yearly item: any value in the year answers it
_KEYS = ["entity", "indicator", "slot"]
_SCHEMA = {"entity": pl.String, "indicator": pl.String, "slot": pl.String}


def year_periods(year: int) -> list[str]:
    """Every period text of ``year`` a value can be stored under."""
    months = [f"{year}-{m:02d}" for m in range(1, 13)]
    return [str(year), *months, *(f"{year}-Q{q}" for q in range(1, 5))]


def owed_items(catalog: Catalog, owed: pl.DataFrame, year: int) -> pl.DataFrame:
    """``owed`` (entity, indicator) expanded to items (entity, indicator, slot): a monthly
    input gives its 12 months, a yearly input the slot ``year``."""
    monthly = [ind.id for ind in catalog.inputs() if ind.frequency is Frequency.MONTHLY]
    months = pl.DataFrame({"slot": [f"{year}-{m:02d}" for m in range(1, 13)]})
    is_monthly = pl.col("indicator").is_in(monthly)
    by_month = owed.filter(is_monthly).join(months, how="cross")
    by_year = owed.filter(~is_monthly).with_columns(slot=pl.lit(YEAR_SLOT))
    return pl.concat([by_month.select(_KEYS), by_year.select(_KEYS)])


def answered_items(session: Session, entities: Sequence[str], year: int) -> pl.DataFrame:
    """Items with a current value or a not-applicable answer (entity, indicator, slot)."""
    values = [
        (r.entity, r.indicator, r.period)
        for r in latest_revisions(session, Selection(entities=entities, periods=year_periods(year)))
        if not r.is_tombstone
    ]
    na = [
        (r.payload["entity"], r.payload["indicator"], str(r.payload["period"]))
        for r in current_records(session, NOT_APPLICABLE, entities=entities)
        if str(r.payload.get("period", "")).startswith(str(year))
    ]
    rows = pl.DataFrame(values + na, schema=_SCHEMA, orient="row")
    whole_year = rows.filter(pl.col("slot") == str(year))
    months = pl.DataFrame({"month": [f"{year}-{m:02d}" for m in range(1, 13)]})
    return pl.concat(
        [
            rows,
            rows.with_columns(
                slot=pl.lit(YEAR_SLOT)
            ),  # any value in the year answers a yearly item
            whole_year.join(months, how="cross").select(
                "entity", "indicator", pl.col("month").alias("slot")
            ),
        ]
    ).unique()


def completeness_frame(
    session: Session,
    catalog: Catalog,
    owed: pl.DataFrame,
    year: int,
    entities: Sequence[str] | None = None,
) -> pl.DataFrame:
    """Per entity of ``owed`` (or of ``entities``): ``owed`` items, ``answered``,
    ``missing``, ``share``, ``complete``; an entity owing nothing is complete."""
    items = owed_items(catalog, owed, year)
    entities = sorted(set(owed["entity"].to_list()) if entities is None else entities)
    answered = answered_items(session, entities, year)
    missing = items.join(answered, on=_KEYS, how="anti")
    counts = items.group_by("entity").len("owed")
    gaps = missing.group_by("entity").len("missing")
    frame = (
        pl.DataFrame({"entity": entities}, schema={"entity": pl.String})
        .join(counts, on="entity", how="left")
        .join(gaps, on="entity", how="left")
        .with_columns(pl.col("owed").fill_null(0), pl.col("missing").fill_null(0))
        .with_columns(answered=pl.col("owed") - pl.col("missing"))
    )
    share = pl.when(pl.col("owed") > 0).then(pl.col("answered") / pl.col("owed")).otherwise(1.0)
    return frame.with_columns(share=share, complete=pl.col("missing") == 0).sort("entity")


def missing_items(
    session: Session, catalog: Catalog, owed: pl.DataFrame, year: int
) -> pl.DataFrame:
    """The owed items with no answer yet (entity, indicator, slot): what a reminder lists."""
    items = owed_items(catalog, owed, year)
    answered = answered_items(session, sorted(set(owed["entity"].to_list())), year)
    return items.join(answered, on=_KEYS, how="anti").sort(_KEYS)
