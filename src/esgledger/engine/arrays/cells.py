"""Where each observation goes: its cell in the flat (indicator, entity, period) array.

Frames from the ledger come sorted by indicator, entity and period, so the (indicator,
entity) pair changes only every few dozen rows: those two are looked up once per run of
equal pairs, and only the period once per row (or, when every run holds each period of the
grid in order, checked against that order). Any other order works too, row by row.

The frame is read in slices of about a million rows, side by side on the cores. Each
slice's hashes are a few megabytes that the next slice reuses: hashing the whole frame at
once would take four fresh buffers of 8 bytes per row, which the system hands out page by
page on every recompute.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np
import polars as pl

from esgledger.engine.arrays.coding import PositionTable, hash_columns, label_hashes
from esgledger.engine.arrays.grid import Grid, grid_label
from esgledger.engine.arrays.kinds import KindsByHash, KindsBySort
from esgledger.engine.arrays.workers import mapper

_RUNS_WORTH_IT = 4  # look up per run when runs average at least this many rows
_SLICE = 1 << 19  # rows read at a time
_HASHED = ("entity", "period", "indicator", "quality")
Kinds = KindsByHash | KindsBySort


@dataclass(frozen=True)
class _Tables:
    """The grid's labels by hash, and the stand-ins that make any cell of an unknown < 0."""

    kinds: PositionTable
    rows: PositionTable
    cols: PositionTable
    period_hashes: np.ndarray | None  # the grid's periods in order, when all are labels
    estimated: int  # the hash of quality "estimated"
    dtype: type

    @classmethod
    @lru_cache(maxsize=8)  # the same grid and catalog for every recompute of a snapshot
    def of(cls, grid: Grid, indicators: tuple[str, ...]) -> _Tables:
        entities, periods = grid.shape
        cells = len(indicators) * entities * periods
        canonical = {
            p: j for j, p in enumerate(grid.periods) if grid_label(p, grid.granularity) == p
        }
        return cls(
            PositionTable.of(indicators, unknown=-len(indicators) - 1),
            PositionTable.of(grid.entities, unknown=-len(indicators) * entities - 1),
            PositionTable.of(list(canonical), list(canonical.values()), unknown=-cells - 1),
            label_hashes(list(grid.periods)) if len(canonical) == periods else None,
            int(label_hashes(["estimated"])[0]),
            # int32 when every cell, the stand-ins included, fits: half the memory to write
            np.int32 if 4 * (cells + entities * periods) < 2**31 else np.int64,
        )


@dataclass(frozen=True)
class Cells:
    """Each observation's flat cell, (indicator × entities + row) × periods + column, and
    whether it is estimated.

    When the rows come in runs that are each one whole row of the grid (one indicator and
    entity, every period in grid order) only the first cell of each run is kept: the
    others follow from it, and most work needs no more than that.
    """

    estimated: np.ndarray  # bool per observation
    estimated_rows: np.ndarray  # the numbers of the estimated rows, in order
    periods: int
    run_cells: np.ndarray | None = None  # the first cell of each run of ``periods`` rows
    row_cells: np.ndarray | None = None  # otherwise: the cell of each row

    @cached_property
    def flat(self) -> np.ndarray:
        """The cell of every row."""
        if self.row_cells is not None:
            return self.row_cells
        return _spread(self.run_cells, self.periods)

    def of_rows(self, rows: np.ndarray) -> np.ndarray:
        """The cells of the rows numbered ``rows``."""
        if self.run_cells is None:
            return self.flat[rows]
        return self.run_cells[rows // self.periods] + (rows % self.periods)

    def strictly_increasing(self) -> bool:
        """Whether the cells grow from row to row, all on the grid (ledger order)."""
        cells = self.row_cells if self.run_cells is None else self.run_cells
        return cells.size == 0 or bool(cells[0] >= 0 and np.all(cells[1:] > cells[:-1]))

    def first_rows(self, cells: np.ndarray) -> np.ndarray:
        """For strictly increasing cells: the first row whose cell is at least each of ``cells``."""
        if self.run_cells is None:
            return np.searchsorted(self.flat, cells)
        return np.searchsorted(self.run_cells, cells) * self.periods


def _spread(run_cells: np.ndarray, periods: int) -> np.ndarray:
    return (run_cells[:, None] + np.arange(periods, dtype=run_cells.dtype)).reshape(-1)


def cell_positions(observations: pl.DataFrame, grid: Grid, indicators: list[str]) -> Cells:
    """Where each observation goes, and whether it is estimated.

    An observation whose entity, period or indicator is not on the grid gets a negative
    cell: the stand-ins for "unknown" are chosen so that any cell computed from one is < 0.
    """
    tables = _Tables.of(grid, tuple(indicators))
    count, periods = observations.height, grid.shape[1]
    estimated = np.empty(count, dtype=bool)
    size = max(periods, _SLICE // periods * periods)  # slices of whole runs when runs are rows
    starts = range(0, count, size)

    kinds = KindsBySort.of(observations["indicator"], indicators, tables.kinds.unknown)
    kinds = kinds or KindsByHash(tables.kinds)
    hashed = [c for c in _HASHED if kinds.hashed or c != "indicator"]

    def place(start: int) -> tuple[np.ndarray | None, np.ndarray | None, np.ndarray]:
        part = observations.slice(start, size)
        hashes = hash_columns(part, hashed)
        mask = estimated[start : start + part.height]
        np.equal(hashes["quality"], tables.estimated, out=mask)
        rows = np.flatnonzero(mask) + start
        run_cells = _whole_grid_rows(hashes, grid, tables, kinds, start)
        if run_cells is not None:
            return run_cells, None, rows
        return None, _slice_cells(part, hashes, grid, tables, kinds, start), rows

    with mapper(count) as run_all:
        found = run_all(place, starts)
    rows = _joined([r for _, _, r in found], np.int64)
    if all(run_cells is not None for run_cells, _, _ in found):
        return Cells(
            estimated, rows, periods, run_cells=_joined([r for r, _, _ in found], tables.dtype)
        )
    cells = [c if c is not None else _spread(r, periods) for r, c, _ in found]
    return Cells(estimated, rows, periods, row_cells=_joined(cells, tables.dtype))


def _joined(parts: list[np.ndarray], dtype: type = np.int64) -> np.ndarray:
    return np.concatenate(parts) if parts else np.zeros(0, dtype)


def _whole_grid_rows(
    hashes: dict[str, np.ndarray], grid: Grid, tables: _Tables, kinds: Kinds, start: int
) -> np.ndarray | None:
    """The first cell of each run when every run of the slice is one whole grid row: one
    indicator and entity over every period of the grid, in order. Else None.

    A few comparisons per row then do for finding the runs and looking periods up.
    """
    entities, periods = grid.shape
    row_hashes = hashes["entity"]
    if tables.period_hashes is None or row_hashes.size % periods:
        return None
    rows = row_hashes.reshape(-1, periods)
    if not (
        (hashes["period"].reshape(-1, periods) == tables.period_hashes).all()
        and (rows == rows[:, :1]).all()
    ):
        return None
    kind = kinds.run_positions(hashes, start, row_hashes.size, periods)
    if kind is None:
        return None
    row = tables.rows.lookup(rows[:, 0])
    return ((kind.astype(np.int64) * entities + row) * periods).astype(tables.dtype)


def _slice_cells(
    part: pl.DataFrame,
    hashes: dict[str, np.ndarray],
    grid: Grid,
    tables: _Tables,
    kinds: Kinds,
    start: int,
) -> np.ndarray:
    entities, periods = grid.shape
    row_hashes = hashes["entity"]
    kind_keys = kinds.row_keys(hashes, start, row_hashes.size)
    starts = _run_starts(kind_keys, row_hashes)
    if starts.size * _RUNS_WORTH_IT > row_hashes.size:
        flat = kinds.positions(kind_keys).astype(tables.dtype)
        flat *= entities
        flat += tables.rows.lookup(row_hashes)
        flat *= periods
    else:
        kind, row = kinds.positions(kind_keys[starts]), tables.rows.lookup(row_hashes[starts])
        lengths = np.diff(starts, append=row_hashes.size)
        base = (kind.astype(np.int64) * entities + row) * periods
        flat = np.repeat(base.astype(tables.dtype), lengths)
    cols = tables.cols.lookup(hashes["period"])
    flat += _other_periods(part, cols, grid, tables.cols.unknown)
    return flat


def _run_starts(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Where a run of equal (first, second) pairs begins."""
    if first.size == 0:
        return np.zeros(0, dtype=np.int64)
    changed = first[1:] != first[:-1]
    changed |= second[1:] != second[:-1]
    return np.concatenate(([0], np.flatnonzero(changed) + 1))


def _other_periods(part: pl.DataFrame, cols: np.ndarray, grid: Grid, missing: int) -> np.ndarray:
    """Columns of periods not written as a grid label, e.g. a month on a yearly grid."""
    other = cols < 0
    if not other.any():
        return cols
    periods = part["period"].filter(pl.Series(other))
    position = {p: j for j, p in enumerate(grid.periods)}
    labels = {
        p: position.get(grid_label(p, grid.granularity), missing)
        for p in periods.drop_nulls().unique().to_list()
    }
    cols = cols.copy()
    cols[other] = periods.replace_strict(labels, default=missing, return_dtype=pl.Int64).to_numpy()
    return cols
