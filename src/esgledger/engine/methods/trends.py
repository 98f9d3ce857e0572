"""Changes against the prior period, computed along the period axis of the arrays."""

from __future__ import annotations

import numpy as np

from esgledger.engine.context import MethodContext
from esgledger.engine.registry import method

INTENSITY = "energy.intensity_per_treo"


def _shift_one_year(ctx: MethodContext, values: np.ndarray) -> np.ndarray:
    """The same cell one year earlier (NaN where the grid has no earlier year).

    Found by label, not by a fixed step: the grid of months also holds whole years.
    """
    columns = ctx.grid.prior_year_columns()
    earlier = np.full(values.shape, np.nan)
    found = columns >= 0
    earlier[:, found] = values[:, columns[found]]
    return earlier


@method(
    "energy.intensity_change_yoy",
    reads=(INTENSITY,),
    formula="(energy intensity this year / energy intensity prior year − 1) × 100 %",
)
def intensity_change_yoy(ctx: MethodContext) -> None:
    current = ctx.value(INTENSITY, "kgce/tREO")
    prior = _shift_one_year(ctx, current)
    with np.errstate(divide="ignore", invalid="ignore"):
        change = (current / prior - 1.0) * 100.0
    ctx.term(f"({INTENSITY} / prior-year {INTENSITY} − 1) × 100", change, (INTENSITY,))
