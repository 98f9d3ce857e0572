"""The early-warning check on monthly values imported or typed: a value far off its own
history (a unit slip, a figure ten times too large) is flagged before review.

For each (entity, indicator), every monthly value is set against the median of the
entity's months of that indicator: flagged when it is more than ``max_ratio_to_median``
times the median (or less than its inverse) and its robust z-score
``0.6745 (x - median) / MAD`` passes the limit (Iglewicz and Hoaglin 1993; both limits in
data/checks.yaml). Computed over columns for all indicators at once. Values of every
status count, so a draft is checked as soon as it is written.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
from sqlalchemy.orm import Session

from esgledger.ledger.reads.revision_history import written_by
from esgledger.ledger.revisions import Selection, latest_revisions
from esgledger.monitoring.ingest import limits


@dataclass(frozen=True)
class MonthlyWarning:
    """A monthly value far from the entity's usual months of the same indicator."""

    entity: str
    indicator: str
    period: str
    value: float
    median: float
    ratio: float


def monthly_warnings(
    session: Session, entities: list[str], indicators: list[str] | None = None
) -> dict[tuple[str, str, str], MonthlyWarning]:
    """Warnings keyed by (entity, indicator, period) over the entities' monthly values."""
    rows = [
        (r.entity, r.indicator, r.period, r.canonical_value)
        for r in latest_revisions(session, Selection(entities, None, indicators))
        if not r.is_tombstone and r.canonical_value is not None and len(r.period) == 7
    ]
    frame = pl.DataFrame(
        rows, schema={"entity": pl.Utf8, "indicator": pl.Utf8, "period": pl.Utf8,
                      "value": pl.Float64}, orient="row",
    )  # fmt: skip
    return {
        (w.entity, w.indicator, w.period): w
        for w in (MonthlyWarning(*row) for row in flagged(frame).iter_rows())
    }


def warnings_for_changeset(session: Session, changeset_id: int | None) -> list[MonthlyWarning]:
    """The warnings on the monthly values one import or form save wrote, in key order, so
    the person who wrote them hears of a figure ten times too large at once, not at review."""
    if changeset_id is None:
        return []
    written = {key for key in written_by(session, changeset_id) if len(key[2]) == 7}
    if not written:
        return []
    found = monthly_warnings(
        session, sorted({e for e, _, _ in written}), sorted({i for _, i, _ in written})
    )
    return [found[key] for key in sorted(written) if key in found]


def flagged(frame: pl.DataFrame) -> pl.DataFrame:
    """The rows of (entity, indicator, period, value) far off their group's median."""
    cfg, profile = limits()["monthly_values"], limits()["profile"]
    group = ["entity", "indicator"]
    scored = (
        frame.with_columns(
            median=pl.col("value").median().over(group),
            months=pl.len().over(group),
        )
        .with_columns(mad=(pl.col("value") - pl.col("median")).abs().median().over(group))
        .filter(pl.col("months") >= cfg["min_history_months"] + 1)
        .with_columns(
            ratio=pl.col("value") / pl.col("median"),
            z=profile["consistency"] * (pl.col("value") - pl.col("median")) / pl.col("mad"),
        )
    )
    limit = cfg["max_ratio_to_median"]
    # Both must hold: far in robust terms (not a month inside the usual spread) and far
    # in size (not a small wobble of a very steady series, whose MAD is tiny).
    far_in_size = (pl.col("ratio") > limit) | (pl.col("ratio") < 1 / limit)
    far_in_spread = (pl.col("mad") == 0) | (pl.col("z").abs() > profile["robust_z_limit"])
    outlying = (pl.col("median") > 0) & far_in_size & far_in_spread
    return scored.filter(outlying).select(
        "entity", "indicator", "period", "value", "median", "ratio"
    )
