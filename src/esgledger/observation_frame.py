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
    "quality": pl.Utf8,  # measured | calculated | estimated | null
    "source": pl.Utf8,  # file, sheet and row the value was entered from
}
