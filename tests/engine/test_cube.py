"""The pivot of observations into arrays, against a row-by-row reference.

The reference below states the rules in plain Python: observations off the grid are left
out; a cell of a yearly grid sums a flow's months and takes a stock's latest month; the
estimated share of a flow cell is the estimated part of its absolute amount, of a stock
cell whether its latest value is estimated. The pivot must agree with it whatever the
order of the rows, sorted as the ledger hands them over or shuffled.
"""

from __future__ import annotations

import math
import random

import numpy as np
import polars as pl
import pytest

from esgledger.engine.arrays import cells
from esgledger.engine.arrays.coding import PositionTable, label_hashes
from esgledger.engine.arrays.cube import OBSERVATION_SCHEMA, _Coded, build_cube
from esgledger.engine.arrays.grid import Grid, grid_label
from esgledger.engine.arrays.kinds import KindsBySort
from esgledger.periods import Granularity

ENTITIES = ("A", "B", "C")
INDICATORS = ("flow.one", "flow.two", "stock.one")
STOCKS = {"stock.one"}


def observations(seed: int, months: bool, duplicates: bool) -> pl.DataFrame:
    """Random rows over known and unknown entities, periods and indicators."""
    rng = random.Random(seed)
    periods = [f"2024-{m:02d}" for m in range(1, 13)] if months else ["2023", "2024"]
    rows, seen = [], set()
    for entity in (*ENTITIES, "STRANGER"):
        for period in (*periods, "2019"):
            for indicator in (*INDICATORS, "not.in.catalog"):
                if rng.random() < 0.3 or (not duplicates and (entity, period, indicator) in seen):
                    continue
                seen.add((entity, period, indicator))
                value = rng.choice([None, 0.0, -2.5, rng.uniform(1, 100)])
                quality = rng.choice([None, "measured", "estimated", "calculated"])
                rows.append((entity, period, indicator, value, len(rows) + 1, quality, "test"))
    return pl.DataFrame(rows, schema=OBSERVATION_SCHEMA, orient="row")


def reference(frame: pl.DataFrame, grid: Grid) -> dict[tuple[str, str, str], tuple]:
    """(indicator, entity, column) -> (value, estimated share), computed row by row."""
    cells: dict[tuple[str, str, str], list[dict]] = {}
    for row in frame.iter_rows(named=True):
        column = grid_label(row["period"], grid.granularity)
        on_grid = row["entity"] in grid.entities and column in grid.periods
        if on_grid and row["indicator"] in INDICATORS:
            cells.setdefault((row["indicator"], row["entity"], column), []).append(row)
    return {key: _roll_up(key[0] in STOCKS, rows) for key, rows in cells.items()}


def _roll_up(stock: bool, rows: list[dict]) -> tuple[float, float]:
    if stock:
        latest = max(rows, key=lambda r: r["period"])
        value = math.nan if latest["value"] is None else latest["value"]
        return value, float(latest["quality"] == "estimated")
    amounts = [r["value"] for r in rows if r["value"] is not None]
    total = sum(abs(v) for v in amounts)
    estimated = sum(abs(r["value"] or 0) for r in rows if r["quality"] == "estimated")
    return sum(amounts), (estimated / total if total else 0.0)


def pivot_as_dict(frame: pl.DataFrame, grid: Grid) -> dict[tuple[str, str, str], tuple]:
    cube = build_cube(frame, grid, STOCKS, INDICATORS)
    found = {}
    for indicator, values in cube.values.items():
        for (row, col), value in np.ndenumerate(values):
            share = cube.estimated[indicator][row, col]
            if not math.isnan(value) or share:
                found[(indicator, grid.entities[row], grid.periods[col])] = (value, share)
    return found


def assert_same(found: dict, expected: dict) -> None:
    # an empty reference cell with a missing value reads NaN, like a cell nobody reported
    expected = {k: v for k, v in expected.items() if not (math.isnan(v[0]) and not v[1])}
    assert found.keys() == expected.keys()
    for key, (value, share) in expected.items():
        assert found[key][0] == pytest.approx(value, nan_ok=True), key
        assert found[key][1] == pytest.approx(share), key


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("order", ["ledger", "shuffled"])
def test_monthly_rows_on_a_yearly_grid_roll_up_like_the_reference(seed, order):
    frame = observations(seed, months=True, duplicates=False)
    frame = frame.sort("indicator", "entity", "period") if order == "ledger" else frame
    grid = Grid(ENTITIES, ("2024",), Granularity.YEAR)
    assert_same(pivot_as_dict(frame.sample(fraction=1.0, seed=seed), grid), reference(frame, grid))
    assert_same(pivot_as_dict(frame, grid), reference(frame, grid))


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("duplicates", [False, True])
def test_a_grid_of_the_rows_own_periods_places_each_value_like_the_reference(seed, duplicates):
    frame = observations(seed, months=False, duplicates=duplicates)
    grid = Grid(ENTITIES, ("2023", "2024"), Granularity.YEAR)
    expected = reference(frame, grid)
    assert_same(pivot_as_dict(frame.sort("indicator", "entity", "period"), grid), expected)
    assert_same(pivot_as_dict(frame.sample(fraction=1.0, seed=seed), grid), expected)


def test_only_indicators_with_observations_on_the_grid_get_arrays():
    frame = pl.DataFrame(
        [
            ("A", "2024", "flow.one", 1.0, 1, None, "t"),
            ("Z", "2024", "flow.two", 2.0, 2, None, "t"),
        ],
        schema=OBSERVATION_SCHEMA,
        orient="row",
    )
    cube = build_cube(frame, Grid(ENTITIES, ("2024",)), STOCKS, INDICATORS)
    assert set(cube.values) == {"flow.one"}
    assert cube.observations["entity"].to_list() == ["A"]


def test_a_position_table_finds_every_label_and_nothing_else():
    labels = [f"entity-{n}" for n in range(500)]
    table = PositionTable.of(labels, unknown=-7)
    assert table.lookup(label_hashes(labels)).tolist() == list(range(500))
    strangers = [f"other-{n}" for n in range(5000)] + ["", "entity-500"]
    assert set(table.lookup(label_hashes(strangers)).tolist()) == {-7}


@pytest.mark.parametrize("seed", range(6))
def test_rows_in_ledger_order_all_on_the_grid_go_straight_into_place(seed):
    grid = Grid(ENTITIES, ("2023", "2024"), Granularity.YEAR)
    frame = (
        observations(seed, months=False, duplicates=False)
        .filter(
            pl.col("entity").is_in(ENTITIES)
            & pl.col("period").is_in(grid.periods)
            & pl.col("indicator").is_in(INDICATORS)
            & pl.col("value").is_not_null()
        )
        .sort("indicator", "entity", "period")
    )
    assert _Coded.of(frame, grid, sorted(INDICATORS)).runs is not None
    assert_same(pivot_as_dict(frame, grid), reference(frame, grid))


@pytest.mark.parametrize("rows_per_slice", [1, 5, 12])
@pytest.mark.parametrize("order", ["ledger", "shuffled"])
def test_reading_the_frame_in_small_slices_changes_nothing(monkeypatch, rows_per_slice, order):
    monkeypatch.setattr(cells, "_SLICE", rows_per_slice)
    frame = observations(3, months=True, duplicates=True)
    frame = frame.sort("indicator", "entity", "period") if order == "ledger" else frame
    grid = Grid(ENTITIES, tuple(f"2024-{m:02d}" for m in range(1, 13)), Granularity.MONTH)
    assert_same(pivot_as_dict(frame, grid), reference(frame, grid))


def every_month(entities: tuple[str, ...], missing: tuple[str, str] | None = None) -> pl.DataFrame:
    """Each of ``entities`` reports every indicator every month, in ledger order."""
    rows = [
        (entity, f"2024-{m:02d}", indicator, float(m), 0, "estimated" if m == 3 else None, "t")
        for indicator in sorted(INDICATORS)
        for entity in entities
        for m in range(1, 13)
        if (entity, f"2024-{m:02d}") != missing
    ]
    return pl.DataFrame(rows, schema=OBSERVATION_SCHEMA, orient="row")


@pytest.mark.parametrize(
    ("entities", "missing", "shares_frame"),
    [
        (ENTITIES, None, True),  # every cell: the block is the frame's memory
        (("B", "C"), None, False),  # one stretch of consecutive cells, copied in one piece
        (ENTITIES, ("B", "2024-05"), False),  # a gap: each value placed in its cell
    ],
)
def test_a_frame_of_every_month_is_placed_like_the_reference(entities, missing, shares_frame):
    frame = every_month(entities, missing)
    grid = Grid(ENTITIES, tuple(f"2024-{m:02d}" for m in range(1, 13)), Granularity.MONTH)
    assert_same(pivot_as_dict(frame, grid), reference(frame, grid))
    cube = build_cube(frame, grid, STOCKS, INDICATORS)
    value = frame["value"].to_numpy()
    assert np.shares_memory(cube.values["flow.one"], value) is shares_frame


@pytest.mark.parametrize("missing", [None, ("C", "2024-12"), ("A", "2024-01")])
def test_slices_of_whole_grid_rows_and_others_mix(monkeypatch, missing):
    monkeypatch.setattr(cells, "_SLICE", 12)  # one grid row per slice
    frame = every_month(ENTITIES, missing)
    grid = Grid(ENTITIES, tuple(f"2024-{m:02d}" for m in range(1, 13)), Granularity.MONTH)
    assert_same(pivot_as_dict(frame, grid), reference(frame, grid))
    for doubled in (
        pl.concat([frame, frame]).sort("indicator", "entity", "period"),
        pl.concat([frame, frame]).sort("indicator", "entity", maintain_order=True),
    ):  # each cell twice: within a grid row, or as two whole grid rows one after the other
        assert_same(pivot_as_dict(doubled, grid), reference(doubled, grid))


def test_a_frame_sorted_by_indicator_is_split_by_binary_search():
    frame = observations(4, months=True, duplicates=False).sort("indicator", "entity", "period")
    column = frame["indicator"]
    kinds = KindsBySort.of(column, sorted(INDICATORS), unknown=-9)
    assert kinds is not None
    rows = np.arange(frame.height)
    position = {name: k for k, name in enumerate(sorted(INDICATORS))}
    expected = [position.get(name, -9) for name in column.to_list()]
    assert kinds.row_keys({}, 0, frame.height).tolist() == expected
    assert kinds.row_keys({}, 5, 17).tolist() == expected[5:22]
    assert kinds.kinds[kinds._stretch(rows)].tolist() == expected


def test_a_frame_not_known_to_be_sorted_is_read_by_hash():
    frame = observations(4, months=True, duplicates=False)
    assert KindsBySort.of(frame["indicator"], sorted(INDICATORS), unknown=-9) is None
    with_null = pl.concat([frame, frame.head(1).with_columns(pl.lit(None).alias("indicator"))])
    assert KindsBySort.of(with_null.sort("indicator")["indicator"], ["x"], unknown=-9) is None
