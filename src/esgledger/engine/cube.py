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

from esgledger.periods import Granularity, Period

OBSERVATION_SCHEMA = {
    "entity": pl.Utf8,
    "period": pl.Utf8,
    "indicator": pl.Utf8,
    "value": pl.Float64,
    "revision_id": pl.Int64,
    "quality": pl.Utf8,
    "source": pl.Utf8,
}


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
    """Pivot observations onto ``grid``, leaving out those outside its entities and periods."""
    frame = _on_grid(observations, grid)
    rolled = _roll_up(frame, stock_indicators)
    cube = Cube(grid=grid, observations=frame.drop("column"))
    entity_pos = {code: i for i, code in enumerate(grid.entities)}
    period_pos = {label: j for j, label in enumerate(grid.periods)}
    rolled = rolled.with_columns(
        pl.col("entity").replace_strict(entity_pos, return_dtype=pl.Int64).alias("i"),
        pl.col("column").replace_strict(period_pos, return_dtype=pl.Int64).alias("j"),
    )
    for (indicator,), part in rolled.partition_by("indicator", as_dict=True).items():
        rows, cols = part["i"].to_numpy(), part["j"].to_numpy()
        cube.values[indicator] = _scatter(grid.shape, rows, cols, part["value"].to_numpy())
        cube.estimated[indicator] = _scatter(
            grid.shape, rows, cols, part["estimated"].to_numpy(), 0.0
        )
    return cube


def _on_grid(observations: pl.DataFrame, grid: Grid) -> pl.DataFrame:
    labels = {p: grid_label(p, grid.granularity) for p in observations["period"].unique().to_list()}
    frame = observations.with_columns(
        pl.col("period").replace_strict(labels, return_dtype=pl.Utf8).alias("column")
    )
    return frame.filter(
        pl.col("entity").is_in(grid.entities) & pl.col("column").is_in(grid.periods)
    )


def _roll_up(frame: pl.DataFrame, stock_indicators: set[str]) -> pl.DataFrame:
    """One value per (indicator, entity, column): flows summed, stocks the latest period."""
    is_estimated = pl.col("quality") == "estimated"
    estimated_value = pl.when(is_estimated).then(pl.col("value").abs()).otherwise(0.0)
    flows = (
        frame.filter(~pl.col("indicator").is_in(stock_indicators))
        .group_by("indicator", "entity", "column")
        .agg(
            pl.col("value").sum(),
            (estimated_value.sum() / pl.col("value").abs().sum()).fill_nan(0.0).alias("estimated"),
        )
    )
    stocks = (
        frame.filter(pl.col("indicator").is_in(stock_indicators))
        .sort("period")
        .group_by("indicator", "entity", "column")
        .agg(
            pl.col("value").last(),
            is_estimated.last().cast(pl.Float64).fill_null(0.0).alias("estimated"),
        )
    )
    return pl.concat([flows, stocks])


def _scatter(
    shape: tuple[int, int],
    rows: np.ndarray,
    cols: np.ndarray,
    data: np.ndarray,
    fill: float = np.nan,
) -> np.ndarray:
    array = np.full(shape, fill)
    array[rows, cols] = data
    return array
