"""Observations pivoted into (entity × period) arrays, one per input indicator.

The engine computes over whole arrays: every input indicator becomes a float matrix with
one row per entity and one column per period of the grid, NaN where nothing was reported.
Monthly observations roll up to a yearly grid by their indicator's quantity type: flows
are summed, stocks take the latest month. A second matrix per indicator holds the share
of each cell that rests on estimated observations.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from esgledger.engine.arrays.cells import Cells, cell_positions
from esgledger.engine.arrays.grid import Grid, grid_label
from esgledger.observation_frame import OBSERVATION_SCHEMA

__all__ = ["OBSERVATION_SCHEMA", "Cube", "Grid", "build_cube", "grid_label"]


@dataclass
class Cube:
    """Input arrays on a grid, with their estimated shares and the observations behind them."""

    grid: Grid
    values: dict[str, np.ndarray] = field(default_factory=dict)
    estimated: dict[str, np.ndarray] = field(default_factory=dict)
    # the cells whose estimated share is not 0, for the inputs placed in ledger order
    estimated_cells: dict[str, np.ndarray] = field(default_factory=dict)
    observations: pl.DataFrame = field(
        default_factory=lambda: pl.DataFrame(schema=OBSERVATION_SCHEMA)
    )
    # the observations left out because their entity, period or indicator is not on the
    # grid: on a grid of months, those reported for a whole year
    off_grid: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=OBSERVATION_SCHEMA))

    def get(self, indicator: str) -> np.ndarray:
        """The array of ``indicator``; all NaN when nobody reported it."""
        if indicator not in self.values:
            return np.full(self.grid.shape, np.nan)
        return self.values[indicator]


def build_cube(
    observations: pl.DataFrame,
    grid: Grid,
    stock_indicators: set[str],
    indicators: Sequence[str] | None = None,
) -> Cube:
    """Pivot observations onto ``grid``, leaving out those outside its entities and periods.

    Args:
        indicators: the ids that may get arrays (the catalog's); observations of other
            indicators are left out. By default every indicator in the frame.

    Every observation is coded once into its cell of one flat (indicator, entity, period)
    array. When the cells come strictly increasing, as in frames the ledger hands over, no
    cell holds two observations and the values go straight into place. Otherwise the cells
    that several observations roll up into (or that have a missing value) go through the
    polars aggregation of :func:`_roll_up`, and the others are placed directly.
    """
    if indicators is None:
        indicators = observations["indicator"].drop_nulls().unique().to_list()
    coded = _Coded.of(observations, grid, sorted(set(indicators)))
    on_grid = None if coded.all_on_grid else coded.flat >= 0
    kept = observations if on_grid is None else observations.filter(pl.Series(on_grid))
    cube = Cube(grid=grid, observations=kept.drop("column", strict=False))
    if on_grid is not None:
        cube.off_grid = observations.filter(pl.Series(~on_grid)).drop("column", strict=False)
    stock = np.array([name in stock_indicators for name in coded.indicators], dtype=bool)
    if coded.runs is not None and not observations["value"].null_count():
        arrays = _fill_ordered(observations, coded, stock, grid)
    else:
        arrays = _fill_unordered(observations, coded, on_grid, stock, grid)
    for indicator, (values, shares, marked) in zip(coded.indicators, arrays, strict=True):
        cube.values[indicator] = values.reshape(grid.shape)
        cube.estimated[indicator] = shares.reshape(grid.shape)
        if marked is not None:
            cube.estimated_cells[indicator] = marked
    return cube


@dataclass(frozen=True)
class _Coded:
    """Each observation's cell in a flat (indicator, entity, period) array; < 0 off the grid.

    In ledger order (cells strictly increasing) the indicator blocks are those of the
    ``indicators`` given, each observation is alone in its cell and ``runs`` says which rows
    each indicator has. Otherwise only the indicators found on the grid get a block, in
    the order of ``indicators``, and ``runs`` is None.
    """

    cells: Cells
    indicators: list[str]  # those with observations on the grid
    runs: list[tuple[int, int, int]] | None  # (block, first row, row after the last)
    all_on_grid: bool
    compacted: np.ndarray | None = None  # cells renumbered to the blocks kept (not in order)

    @property
    def flat(self) -> np.ndarray:
        return self.cells.flat if self.compacted is None else self.compacted

    @property
    def estimated(self) -> np.ndarray:
        return self.cells.estimated

    @classmethod
    def of(cls, observations: pl.DataFrame, grid: Grid, indicators: list[str]) -> _Coded:
        cells = cell_positions(observations, grid, indicators)
        block = grid.shape[0] * grid.shape[1]
        if cells.strictly_increasing():
            starts = cells.first_rows(np.arange(len(indicators) + 1) * block)
            present = np.flatnonzero(np.diff(starts) > 0)
            runs = [(int(k), int(starts[k]), int(starts[k + 1])) for k in present]
            return cls(cells, [indicators[k] for k in present], runs, True)
        present, flat, on_grid = _compact(cells.flat, len(indicators), block)
        return cls(cells, [indicators[k] for k in present], None, on_grid, flat)


def _fill_ordered(
    observations: pl.DataFrame, coded: _Coded, stock: np.ndarray, grid: Grid
) -> list[tuple[np.ndarray, np.ndarray, np.ndarray | None]]:
    """One array per indicator, each observation straight into its cell.

    Separate arrays rather than one for all: freed ones are reused by the next computation
    instead of being given back to the system and faulted in afresh.
    """
    block = grid.shape[0] * grid.shape[1]
    value = observations["value"].to_numpy()
    value.flags.writeable = False  # may be the frame's memory, which arrays below share
    estimated = coded.cells.estimated_rows
    arrays = []
    for position, (kind, first, end) in enumerate(coded.runs or ()):
        base = kind * block
        values = _placed(value, coded.cells, (first, end), base, block)
        shares = np.zeros(block)
        rows = estimated[np.searchsorted(estimated, first) : np.searchsorted(estimated, end)]
        marked = _mark_estimated(
            coded.cells.of_rows(rows) - base, value[rows], stock[position], shares
        )
        arrays.append((values, shares, marked))
    return arrays


def _placed(
    value: np.ndarray, cells: Cells, rows: tuple[int, int], base: int, block: int
) -> np.ndarray:
    """The block at ``base`` (NaN where nothing goes), the values of ``rows`` in their cells.

    The cells come strictly increasing, so when the last is as far from the first as there
    are rows, they are one stretch of consecutive cells (say every facility's months, the
    parents reporting nothing) and the values are copied in one piece. When that stretch is
    the whole block they are already the block: it is the frame's own memory.
    """
    first, end = rows
    values = value[first:end]
    start, last = cells.of_rows(np.array([first, end - 1])) - base
    if last - start != end - first - 1:
        placed = np.full(block, np.nan)
        placed[cells.of_rows(np.arange(first, end)) - base] = values
        return placed
    if end - first == block:
        return values
    placed = np.empty(block)
    placed[:start], placed[last + 1 :] = np.nan, np.nan
    placed[start : last + 1] = values
    return placed


def _compact(flat: np.ndarray, count: int, block: int) -> tuple[np.ndarray, np.ndarray, bool]:
    """Drop the blocks of absent indicators, and mark every cell off the grid as -1."""
    on = flat >= 0
    kinds = np.where(on, flat // block, 0)
    present = np.flatnonzero(np.bincount(kinds[on], minlength=count))
    shift = np.zeros(count, dtype=np.int64)
    shift[present] = (present - np.arange(present.size)) * block
    compact = np.where(on, flat - shift[kinds], -1)
    return present, compact, bool(on.all())


def _mark_estimated(
    cells: np.ndarray, amounts: np.ndarray, stock: np.ndarray | bool, shares: np.ndarray
) -> np.ndarray:
    """What :func:`_roll_up` gives a cell of one estimated observation, without grouping;
    the cells whose share is now 1.

    A flow's estimated share there is |v| / |v|, with NaN read as 0: 1 for a finite non-zero
    value, else 0. A stock's is 1.
    """
    counted = stock | (np.isfinite(amounts) & (amounts != 0))
    marked = cells[counted]
    shares[marked] = 1.0
    return marked


def _fill_unordered(
    observations: pl.DataFrame,
    coded: _Coded,
    on_grid: np.ndarray | None,
    stock: np.ndarray,
    grid: Grid,
) -> list[tuple[np.ndarray, np.ndarray, np.ndarray | None]]:
    """Cells of one observation placed directly, the others rolled up by :func:`_roll_up`."""
    block = grid.shape[0] * grid.shape[1]
    values = np.full(len(coded.indicators) * block, np.nan)
    shares = np.zeros(values.size)
    used = np.arange(coded.flat.size) if on_grid is None else np.flatnonzero(on_grid)
    cells = coded.flat[used]
    alone = np.bincount(cells, minlength=values.size) == 1
    if observations["value"].null_count():
        alone[cells[observations["value"].is_null().to_numpy()[used]]] = False
    single = alone[cells]
    value = observations["value"].to_numpy()
    values[cells[single]] = value[used[single]]
    estimated = used[single & coded.estimated[used]]
    stocks = stock[coded.flat[estimated] // block]
    _mark_estimated(coded.flat[estimated], value[estimated], stocks, shares)
    several = used[~single]
    if several.size:
        chosen = np.zeros(observations.height, dtype=bool)
        chosen[several] = True
        part = (
            observations.select("period", "value", "quality")
            .filter(pl.Series(chosen))
            .with_columns(
                pl.Series("flat", coded.flat[several]),
                pl.Series("stock", stock[coded.flat[several] // block]),
            )
        )
        rolled = _roll_up(part)
        found = rolled["flat"].to_numpy()
        values[found] = rolled["value"].to_numpy()
        shares[found] = rolled["estimated"].to_numpy()
    return [  # no estimated cells listed: shares of rolled-up cells are fractions
        (values[k * block : (k + 1) * block], shares[k * block : (k + 1) * block], None)
        for k in range(len(coded.indicators))
    ]


def _roll_up(frame: pl.DataFrame) -> pl.DataFrame:
    """One value per cell (``flat``): flows summed, stocks the latest period."""
    is_estimated = pl.col("quality") == "estimated"
    estimated_value = pl.when(is_estimated).then(pl.col("value").abs()).otherwise(0.0)
    flows = (
        frame.filter(~pl.col("stock"))
        .group_by("flat")
        .agg(
            pl.col("value").sum(),
            (estimated_value.sum() / pl.col("value").abs().sum()).fill_nan(0.0).alias("estimated"),
        )
    )
    stocks = (
        frame.filter(pl.col("stock"))
        .sort("period")
        .group_by("flat")
        .agg(
            pl.col("value").last(),
            is_estimated.last().cast(pl.Float64).fill_null(0.0).alias("estimated"),
        )
    )
    return pl.concat([flows, stocks])
