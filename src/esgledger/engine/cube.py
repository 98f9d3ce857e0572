"""Observations pivoted into (entity × period) arrays, one per input indicator.

The engine computes over whole arrays: every input indicator becomes a float matrix with
one row per entity and one column per period of the grid, NaN where nothing was reported.
Monthly observations roll up to a yearly grid by their indicator's quantity type: flows
are summed, stocks take the latest month. A second matrix per indicator holds the share
of each cell that rests on estimated observations.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import polars as pl

from esgledger.observation_frame import OBSERVATION_SCHEMA
from esgledger.periods import Granularity, Period

__all__ = ["OBSERVATION_SCHEMA", "Cube", "Grid", "build_cube", "grid_label"]


@dataclass(frozen=True)
class Grid:
    """The axes of every array: entity codes (rows) and period labels (columns)."""

    entities: tuple[str, ...]
    periods: tuple[str, ...]
    granularity: Granularity = Granularity.YEAR

    @property
    def shape(self) -> tuple[int, int]:
        return (len(self.entities), len(self.periods))

    def entity_index(self, code: str) -> int:
        return self.entities.index(code)

    def period_index(self, label: str) -> int:
        return self.periods.index(label)

    def period_ends(self) -> list[Period]:
        return [Period.parse(label) for label in self.periods]


@dataclass
class Cube:
    """Input arrays on a grid, with their estimated shares and the observations behind them."""

    grid: Grid
    values: dict[str, np.ndarray] = field(default_factory=dict)
    estimated: dict[str, np.ndarray] = field(default_factory=dict)
    observations: pl.DataFrame = field(
        default_factory=lambda: pl.DataFrame(schema=OBSERVATION_SCHEMA)
    )

    def get(self, indicator: str) -> np.ndarray:
        """The array of ``indicator``; all NaN when nobody reported it."""
        if indicator not in self.values:
            return np.full(self.grid.shape, np.nan)
        return self.values[indicator]


def grid_label(period: str, granularity: Granularity) -> str:
    """The grid column an observation's period falls into (its year on a yearly grid)."""
    parsed = Period.parse(period)
    return str(parsed.year) if granularity is Granularity.YEAR else str(parsed)


def build_cube(observations: pl.DataFrame, grid: Grid, stock_indicators: set[str]) -> Cube:
    """Pivot observations onto ``grid``, leaving out those outside its entities and periods.

    Every observation is coded once as (indicator, row, column) integers. A cell with a
    single observation takes its value directly; only cells that several observations
    roll up into (or with a missing value) go through the polars aggregation of
    :func:`_roll_up`, so a monthly grid of monthly data costs no group-by at all.
    """
    codes = _Codes.of(observations, grid)
    on_grid = (codes.rows >= 0) & (codes.cols >= 0)
    kept = observations if on_grid.all() else observations.filter(pl.Series(on_grid))
    cube = Cube(grid=grid, observations=kept.drop("column", strict=False))
    if not codes.indicators:
        return cube
    used = np.flatnonzero(on_grid & (codes.kinds >= 0))
    shape = (len(codes.indicators), *grid.shape)
    kinds, rows, cols = codes.kinds, codes.rows, codes.cols
    if used.size < observations.height:
        kinds, rows, cols = kinds[used], rows[used], cols[used]
    flat = (kinds * shape[1] + rows) * shape[2] + cols  # the cell in (indicator, row, column)
    is_stock = np.array([name in stock_indicators for name in codes.indicators], dtype=bool)
    values, shares = np.full(shape, np.nan), np.zeros(shape)
    counts = np.bincount(flat, minlength=values.size)
    single = _single_cells(observations, used, flat, counts)
    if single.all():
        _fill_single(observations, used, is_stock[kinds], flat, values, shares)
    else:
        several = ~single
        _fill_single(
            observations, used[single], is_stock[kinds[single]], flat[single], values, shares
        )
        _fill_several(
            observations, used[several], is_stock[kinds[several]], flat[several], values, shares
        )
    present = counts.reshape(len(codes.indicators), -1).any(axis=1)
    for position in np.flatnonzero(present):
        cube.values[codes.indicators[position]] = values[position]
        cube.estimated[codes.indicators[position]] = shares[position]
    return cube


@dataclass(frozen=True)
class _Codes:
    """Each observation's grid position: row, column and indicator; -1 where it has none."""

    rows: np.ndarray
    cols: np.ndarray
    kinds: np.ndarray  # position in ``indicators``
    indicators: list[str]

    @classmethod
    def of(cls, observations: pl.DataFrame, grid: Grid) -> _Codes:
        """Codes by casting to enums, cheaper than mapping every text through a dict."""
        indicators = sorted(observations["indicator"].drop_nulls().unique().to_list())
        entity_pos = {code: i for i, code in enumerate(grid.entities)}
        period_pos = {label: j for j, label in enumerate(grid.periods)}
        # a period written as its grid label is that column; any other goes through grid_label
        canonical = [p for p in period_pos if grid_label(p, grid.granularity) == p]
        coded = observations.select(
            _enum_code("entity", list(entity_pos)),
            _enum_code("period", canonical),
            _enum_code("indicator", indicators),
        )
        rows = _positions(coded["entity"].to_numpy(), list(entity_pos.values()))
        cols = _positions(coded["period"].to_numpy(), [period_pos[p] for p in canonical])
        other = cols < 0
        if other.any():
            cols = cols.copy()
            periods = observations["period"].filter(pl.Series(other))
            labels = {
                p: period_pos.get(grid_label(p, grid.granularity), -1)
                for p in periods.unique().to_list()
            }
            cols[other] = periods.replace_strict(labels, return_dtype=pl.Int64).to_numpy()
        return cls(rows, cols, coded["indicator"].to_numpy(), indicators)


def _enum_code(column: str, categories: list[str]) -> pl.Expr:
    """Position of each value in ``categories``; -1 for any other value or none."""
    as_enum = pl.col(column).cast(pl.Enum(categories), strict=False)
    return as_enum.to_physical().cast(pl.Int64).fill_null(-1)


def _positions(codes: np.ndarray, positions: list[int]) -> np.ndarray:
    """Category codes as grid positions (the same unless the grid repeats a label)."""
    if positions == list(range(len(positions))):
        return codes
    table = np.array([*positions, -1], dtype=np.int64)  # code -1 reads the last entry
    return table[codes]


def _single_cells(
    observations: pl.DataFrame, used: np.ndarray, flat: np.ndarray, counts: np.ndarray
) -> np.ndarray:
    """Which used observations are alone in their cell and have a value."""
    alone = counts == 1
    if observations["value"].null_count():
        missing = observations["value"].is_null().to_numpy()[used]
        alone[flat[missing]] = False
    return alone[flat]


def _fill_single(
    observations: pl.DataFrame,
    rows: np.ndarray,
    stock: np.ndarray,
    cells: np.ndarray,
    values: np.ndarray,
    shares: np.ndarray,
) -> None:
    """What :func:`_roll_up` gives for a cell of one observation, without grouping.

    A flow's estimated share there is |v| / |v| where estimated, else 0 / |v|, with NaN read
    as 0: 1 for an estimated finite non-zero value, else 0. A stock's is 1 where estimated.
    """
    whole = rows.size == observations.height  # every observation: no need to pick rows
    value = observations["value"].to_numpy()
    estimated = (observations["quality"] == "estimated").fill_null(False).to_numpy()
    if not whole:
        value, estimated = value[rows], estimated[rows]
    counted = stock | (np.isfinite(value) & (value != 0))
    values.reshape(-1)[cells] = value
    shares.reshape(-1)[cells] = estimated & counted


def _fill_several(
    observations: pl.DataFrame,
    rows: np.ndarray,
    stock: np.ndarray,
    cells: np.ndarray,
    values: np.ndarray,
    shares: np.ndarray,
) -> None:
    """Cells of several observations (or a missing value): rolled up by :func:`_roll_up`."""
    chosen = np.zeros(observations.height, dtype=bool)
    chosen[rows] = True
    part = (
        observations.select("period", "value", "quality")
        .filter(pl.Series(chosen))
        .with_columns(pl.Series("flat", cells), pl.Series("stock", stock))
    )
    rolled = _roll_up(part)
    found = rolled["flat"].to_numpy()
    values.reshape(-1)[found] = rolled["value"].to_numpy()
    shares.reshape(-1)[found] = rolled["estimated"].to_numpy()


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
