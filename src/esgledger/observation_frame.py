"""The columns of an observations frame: what the ledger hands the engine.

The ledger builds such frames from approved revisions; the engine computes on them
without knowing where they came from. Both import this one definition.
"""

from __future__ import annotations

import polars as pl

OBSERVATION_SCHEMA: dict[str, pl.DataType] = {
    "entity": pl.Utf8,
    "period": pl.Utf8,
    "indicator": pl.Utf8,
    "value": pl.Float64,  # in the indicator's unit
    "revision_id": pl.Int64,
    "quality": pl.Utf8,  # measured | calculated | estimated | modeled | null
    "source": pl.Utf8,  # file, sheet and row the value was entered from
}


def in_ledger_order(frame: pl.DataFrame) -> pl.DataFrame:
    """Declare what the ledger guarantees of its frames: rows sorted by indicator, entity and
    period, in byte order.

    Polars then knows the indicator column is sorted, and the engine finds each indicator's
    rows by binary search instead of reading every row's id (``engine/arrays/kinds.py``). Only for
    frames that are so sorted: on any other the declaration would give wrong results.
    """
    return frame.with_columns(pl.col("indicator").set_sorted())
