"""The demo rows as an observations frame, for computing them without a ledger."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import polars as pl

from esgledger.observation_frame import OBSERVATION_SCHEMA


def observations_frame(
    rows: Sequence[dict[str, str]], quality: Callable[[int, dict], str | None] | None = None
) -> pl.DataFrame:
    """One observation per row; ``quality(position, row)`` may mark some, else the row's own."""
    return pl.DataFrame(
        {
            "entity": [r["entity"] for r in rows],
            "period": [r["period"] for r in rows],
            "indicator": [r["indicator"] for r in rows],
            "value": [float(r["value"]) for r in rows],
            "revision_id": list(range(1, len(rows) + 1)),
            "quality": [
                quality(n, r) if quality else (r.get("quality") or None) for n, r in enumerate(rows)
            ],
            "source": ["demo"] * len(rows),
        },
        schema=OBSERVATION_SCHEMA,
    )
