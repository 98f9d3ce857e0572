"""Where each observation goes: its cell in the flat (indicator, entity, period) array.

Frames from the ledger come sorted by indicator, entity and period, so the (indicator,
entity) pair changes only every few dozen rows: those two are looked up once per run of
equal pairs, and only the period once per row. Any other order works too, row by row.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from esgledger.engine.coding import PositionTable
from esgledger.engine.grid import Grid, grid_label

_RUNS_WORTH_IT = 4  # look up per run when runs average at least this many rows


def cell_positions(
    observations: pl.DataFrame, hashes: dict[str, np.ndarray], grid: Grid, indicators: list[str]
) -> np.ndarray:
    """The flat cell of each observation: (indicator × entities + row) × periods + column.

    An observation whose entity, period or indicator is not on the grid gets a negative
    cell: the stand-ins for "unknown" are chosen so that any cell computed from one is < 0.
    """
    entities, periods = grid.shape
    cells = len(indicators) * entities * periods
    canonical = {p: j for j, p in enumerate(grid.periods) if grid_label(p, grid.granularity) == p}
    kind_table = PositionTable.of(indicators, unknown=-len(indicators) - 1)
    row_table = PositionTable.of(grid.entities, unknown=-len(indicators) * entities - 1)
    col_table = PositionTable.of(list(canonical), list(canonical.values()), unknown=-cells - 1)
    # int32 when every cell, the stand-ins included, fits: half the memory to write and read
    dtype = np.int32 if 4 * (cells + entities * periods) < 2**31 else np.int64
    kind_hashes, row_hashes = hashes["indicator"], hashes["entity"]
    starts = _run_starts(kind_hashes, row_hashes)
    if starts.size * _RUNS_WORTH_IT <= kind_hashes.size:
        kinds, rows = kind_table.lookup(kind_hashes[starts]), row_table.lookup(row_hashes[starts])
        lengths = np.diff(starts, append=kind_hashes.size)
        base = (kinds.astype(np.int64) * entities + rows) * periods
        flat = np.repeat(base.astype(dtype), lengths)
    else:
        kinds, rows = kind_table.lookup(kind_hashes), row_table.lookup(row_hashes)
        flat = kinds.astype(dtype)
        flat *= entities
        flat += rows
        flat *= periods
    cols = col_table.lookup(hashes["period"])
    flat += _other_periods(observations, cols, grid, col_table.unknown)
    return flat


def _run_starts(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Where a run of equal (first, second) pairs begins."""
    if first.size == 0:
        return np.zeros(0, dtype=np.int64)
    changed = first[1:] != first[:-1]
    changed |= second[1:] != second[:-1]
    return np.concatenate(([0], np.flatnonzero(changed) + 1))


def _other_periods(
    observations: pl.DataFrame, cols: np.ndarray, grid: Grid, missing: int
) -> np.ndarray:
    """Columns of periods not written as a grid label, e.g. a month on a yearly grid."""
    other = cols < 0
    if not other.any():
        return cols
    periods = observations["period"].filter(pl.Series(other))
    position = {p: j for j, p in enumerate(grid.periods)}
    labels = {
        p: position.get(grid_label(p, grid.granularity), missing)
        for p in periods.drop_nulls().unique().to_list()
    }
    cols = cols.copy()
    cols[other] = periods.replace_strict(labels, default=missing, return_dtype=pl.Int64).to_numpy()
    return cols
