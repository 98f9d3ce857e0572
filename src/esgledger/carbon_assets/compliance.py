"""Holdings and the compliance gap per compliance year, computed over whole registers.

Compliance gap of a covered entity for compliance year Y (national ETS; the offset limit
is data, ``data/rules.yaml``):

    due          = verified emissions of Y [tCO2]
    ccer_limit   = offset share × due                     (5 %, MEE Order No. 19 Art. 29)
    ccer_counted = min(CCER surrendered for Y, ccer_limit)
    gap          = due − CEA surrendered for Y − ccer_counted   (> 0: still to surrender)
    to_buy       = max(0, gap − CEA held now)              (what holdings do not cover)

Holdings: per entity and instrument, inflows (allocation, purchase) minus outflows (sale,
surrender, retirement).
"""

from __future__ import annotations

import polars as pl

from esgledger.carbon_assets.rules import rules
from esgledger.ledger.reads.records import RecordView, records_frame

MOVEMENT_FIELDS = ("instrument", "kind", "quantity", "compliance_year", "period")
GAP_COLUMNS = (
    "entity", "year", "due", "allocated", "cea_surrendered", "ccer_surrendered",
    "ccer_limit", "ccer_counted", "ccer_over_limit", "gap", "cea_held", "to_buy",
)  # fmt: skip


def movements_frame(movements: list[RecordView]) -> pl.DataFrame:
    """The movements as columns, with ``signed`` (outflows negative)."""
    frame = records_frame(movements, MOVEMENT_FIELDS).with_columns(
        pl.col("entity", "instrument", "kind", "period").cast(pl.Utf8),
        pl.col("quantity").cast(pl.Float64),
        pl.col("compliance_year").cast(pl.Int64),
    )
    outflow = pl.col("kind").is_in(["sale", "surrender", "retirement"])
    return frame.with_columns(
        signed=pl.when(outflow).then(-pl.col("quantity")).otherwise(pl.col("quantity"))
    )


def holdings(movements: list[RecordView]) -> pl.DataFrame:
    """Per entity and instrument: in, out and held (green power is claimed, not held)."""
    frame = movements_frame(movements)
    if frame.is_empty():
        return pl.DataFrame(schema={"entity": pl.Utf8, "instrument": pl.Utf8, "inflow": pl.Float64,
                                    "outflow": pl.Float64, "held": pl.Float64})  # fmt: skip
    return (
        frame.group_by("entity", "instrument")
        .agg(
            inflow=pl.col("signed").filter(pl.col("signed") > 0).sum(),
            outflow=-pl.col("signed").filter(pl.col("signed") < 0).sum(),
            held=pl.col("signed").sum(),
        )
        .with_columns(
            held=pl.when(pl.col("instrument") == "green_power").then(0.0).otherwise("held")
        )
        .sort("entity", "instrument")
    )


def compliance_gap(movements: list[RecordView], verified: list[RecordView]) -> pl.DataFrame:
    """The gap per covered entity and compliance year (one row per verified figure)."""
    due = records_frame(verified, ("year", "verified_tco2")).select(
        pl.col("entity").cast(pl.Utf8),
        year=pl.col("year").cast(pl.Int64),
        due=pl.col("verified_tco2").cast(pl.Float64),
    )
    frame = movements_frame(movements)
    per_year = _sum_by_year(frame)
    held = (
        frame.filter(pl.col("instrument") == "cea")
        .group_by("entity")
        .agg(cea_held=pl.col("signed").sum())
    )
    share = rules().offset_share
    return (
        due.join(per_year, on=["entity", "year"], how="left")
        .join(held, on="entity", how="left")
        .with_columns(pl.col(pl.Float64).fill_null(0.0))
        .with_columns(ccer_limit=pl.col("due") * share)
        .with_columns(ccer_counted=pl.min_horizontal("ccer_surrendered", "ccer_limit"))
        .with_columns(
            ccer_over_limit=pl.col("ccer_surrendered") - pl.col("ccer_counted"),
            gap=pl.col("due") - pl.col("cea_surrendered") - pl.col("ccer_counted"),
        )
        .with_columns(to_buy=pl.max_horizontal(pl.col("gap") - pl.col("cea_held"), pl.lit(0.0)))
        .select(GAP_COLUMNS)
        .sort("year", "entity")
    )


def _sum_by_year(frame: pl.DataFrame) -> pl.DataFrame:
    """Allocation and surrenders per entity and compliance year, as columns."""

    def total(instrument: str, kind: str) -> pl.Expr:
        wanted = (pl.col("instrument") == instrument) & (pl.col("kind") == kind)
        return pl.col("quantity").filter(wanted).sum()

    if frame.is_empty():
        sums = ("allocated", "cea_surrendered", "ccer_surrendered")
        return pl.DataFrame(
            schema={"entity": pl.Utf8, "year": pl.Int64} | dict.fromkeys(sums, pl.Float64)
        )
    return (
        frame.filter(pl.col("compliance_year").is_not_null())
        .group_by("entity", year="compliance_year")
        .agg(
            allocated=total("cea", "allocation"),
            cea_surrendered=total("cea", "surrender"),
            ccer_surrendered=total("ccer", "surrender"),
        )
    )
