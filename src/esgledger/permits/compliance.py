"""Judging monitoring results against their limits and the compliance rates the report
publishes, computed over whole columns of the register (polars), never row by row.

A result is within its limit when its value, converted into the pollutant's unit, is at
most the limit's maximum and, for a band (pH), at least its minimum. The compliance rate of
a group of results is a ratio of sums: results within limits / results judged.
"""

from __future__ import annotations

import polars as pl

RESULT_FIELDS = (
    "outlet",
    "permit",
    "pollutant",
    "medium",
    "sampled_at",
    "value_std",
    "limit_max",
    "limit_min",
    "method",
)


def judge(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with a boolean ``within`` column (value_std against limit_max/limit_min)."""
    value = pl.col("value_std").cast(pl.Float64)
    under_max = pl.col("limit_max").is_null() | (value <= pl.col("limit_max").cast(pl.Float64))
    over_min = pl.col("limit_min").is_null() | (value >= pl.col("limit_min").cast(pl.Float64))
    return frame.with_columns(within=(under_max & over_min).fill_null(False))


def rates(frame: pl.DataFrame, by: list[str]) -> pl.DataFrame:
    """Results judged, results within limits and their ratio, per ``by`` (empty: overall).

    ``frame`` holds one row per result with ``within``; the rate is within / judged.
    """
    aggregations = [
        pl.len().alias("results"),
        pl.col("within").cast(pl.Int64).sum().alias("within_limits"),
    ]
    grouped = frame.group_by(by).agg(aggregations) if by else frame.select(aggregations)
    grouped = grouped.with_columns(
        exceedances=pl.col("results") - pl.col("within_limits"),
        rate=pl.when(pl.col("results") > 0)
        .then(pl.col("within_limits") / pl.col("results"))
        .otherwise(None),
    )
    return grouped.sort(by) if by else grouped


def compliance_tables(frame: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """The three views the report prints: per pollutant, per site (entity), and the group."""
    judged = judge(frame) if "within" not in frame.columns else frame
    return {
        "pollutant": rates(judged, ["medium", "pollutant"]),
        "site": rates(judged, ["entity"]),
        "group": rates(judged, []),
    }
