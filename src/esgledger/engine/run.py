"""Compute a snapshot under a method set: pivot, evaluate, consolidate.

This is the engine's front door. It takes plain data (an observations frame, the org tree,
the catalog, a factor library) and knows nothing about where they were stored.

Asked for years, the engine computes per month wherever months were reported: on a grid
of the years' months plus a column per year for what was reported for the whole year
only. Each month's activity meets the factor valid in that month; the years are then
rolled up from the months (``years.py``) and both are consolidated. A ledger without a
single monthly value is computed on the years directly, as the grid of months would only
repeat the years' columns.
"""

from __future__ import annotations

from itertools import compress
from operator import attrgetter

import numpy as np
import polars as pl

from esgledger.catalog.registry import Catalog
from esgledger.engine.arrays.cube import Cube, build_cube
from esgledger.engine.arrays.grid import Grid, month_labels
from esgledger.engine.arrays.state import State
from esgledger.engine.compute import compute
from esgledger.engine.consolidate import Boundaries, build_boundaries, consolidate
from esgledger.engine.errors import CalculationError
from esgledger.engine.methodset import MethodSet
from esgledger.engine.notices import Notices
from esgledger.engine.results import Results
from esgledger.engine.scoped import keep_to_scope
from esgledger.engine.years import is_summed, roll_up_years
from esgledger.factors import FactorLibrary
from esgledger.org import OrgTree
from esgledger.org.divisions import NATIONAL, grid_problem
from esgledger.periods import Granularity


def calculate(
    observations: pl.DataFrame,
    org: OrgTree,
    catalog: Catalog,
    library: FactorLibrary,
    method_set: MethodSet,
    periods: list[str],
    granularity: Granularity = Granularity.YEAR,
) -> Results:
    """Every derived indicator for every entity and boundary, for ``periods``.

    Args:
        observations: approved values with columns entity, period, indicator, value (in the
            indicator's unit), revision_id, quality, source.
        periods: the grid's columns, e.g. ``["2022", "2023", "2024"]``. With years (the
            default granularity) the results hold the months too, wherever months were
            reported (``Results.months``); with months or quarters, those periods only.
    """
    _check_datasets(method_set, library)
    entities = tuple(sorted(e.code for e in org))
    stocks = {i.id for i in catalog if i.quantity_type == "stock"}
    ids = [i.id for i in catalog]
    regions, problems = _grid_regions(org, entities)
    boundaries = build_boundaries(org, entities, method_set.consolidation)
    setup = (catalog, library, method_set, regions, problems)
    years = tuple(periods)
    if granularity is Granularity.YEAR:
        month_grid = Grid(entities, month_labels(years), Granularity.MONTH)
        cube = build_cube(observations, month_grid, stocks, ids)
        if cube.values:
            cube = _with_whole_years(cube, years, stocks, ids)
            return _by_month(cube, years, setup, boundaries)
    grid = Grid(entities, years, granularity)
    cube = build_cube(observations, grid, stocks, ids)
    state = _computed(cube, setup)
    return Results(method_set, state, _consolidated(state, boundaries), boundaries, cube)


def _consolidated(state: State, boundaries: Boundaries) -> State:
    """The boundaries' state; scoped indicators kept to their own boundary at both levels."""
    consolidated = consolidate(state, boundaries)
    keep_to_scope(state, consolidated)
    return consolidated


def _computed(cube: Cube, setup: tuple) -> State:
    catalog, library, method_set, regions, problems = setup
    state = State(cube.grid, catalog, library, method_set, regions, grid_problems=problems)
    state.values.update(cube.values)
    state.estimated.update(cube.estimated)
    state.share_cells.update(cube.estimated_cells)
    return compute(state)


def _by_month(cube: Cube, years: tuple[str, ...], setup: tuple, boundaries: Boundaries) -> Results:
    """The months (and whole-year values) computed, the years rolled up from them, and both
    consolidated. The yearly results keep the monthly ones as ``months``."""
    catalog, method_set = setup[0], setup[2]
    months = _computed(cube, setup)
    yearly, layout = roll_up_years(months, years)
    monthly = Results(method_set, months, _consolidated(months, boundaries), boundaries, cube)
    # the notes behind a year's sums; those of monthly ratios stay with the months
    yearly.diagnostics = _of_summed(months.diagnostics, catalog) + yearly.diagnostics
    return Results(
        method_set,
        yearly,
        _consolidated(yearly, boundaries),
        boundaries,
        cube,
        months=monthly,
        year_layout=layout,
    )


def _of_summed(diagnostics: Notices, catalog: Catalog) -> Notices:
    """The notices of indicators whose year is the sum of its months (and of indicators
    outside the catalog), in their order.

    Decided once per indicator and picked by ``compress``: the months can hold hundreds of
    thousands of per-cell notices, and asking the catalog for each took 0.2 s.
    """
    parts = diagnostics.parts
    indicators = list(map(attrgetter("indicator"), parts))
    kept = {i: i not in catalog or is_summed(catalog.get(i)) for i in set(indicators)}
    return Notices(compress(parts, map(kept.__getitem__, indicators)))


def _with_whole_years(cube: Cube, years: tuple[str, ...], stocks: set[str], ids: list[str]) -> Cube:
    """The grid of months extended by a column per year that has values reported for the
    whole year only; those values go there (never spread over its months)."""
    of_years = pl.col("period").str.slice(0, 4).is_in(list(years)) & ~pl.col("period").str.contains(
        r"^\d{4}-\d{1,2}$"
    )  # a year (or a quarter, which the ledger does not collect but the engine adds up)
    whole = cube.off_grid.filter(of_years)
    if whole.is_empty():
        return cube
    found = set(whole["period"].str.slice(0, 4).unique().to_list())
    present = tuple(y for y in years if y in found)
    own = build_cube(whole, Grid(cube.grid.entities, present, Granularity.YEAR), stocks, ids)
    grid = Grid(cube.grid.entities, cube.grid.periods + present, Granularity.MONTH)
    joined = Cube(
        grid=grid,
        observations=pl.concat([cube.observations, own.observations]),
        off_grid=cube.off_grid.filter(~of_years),
    )
    for indicator in dict.fromkeys([*cube.values, *own.values]):
        joined.values[indicator] = np.hstack([_or_empty(c, indicator) for c in (cube, own)])
        joined.estimated[indicator] = np.hstack(
            [c.estimated.get(indicator, np.zeros(c.grid.shape)) for c in (cube, own)]
        )
    return joined


def _or_empty(cube: Cube, indicator: str) -> np.ndarray:
    return cube.values.get(indicator, np.full(cube.grid.shape, np.nan))


def _grid_regions(org: OrgTree, entities: tuple[str, ...]) -> tuple[np.ndarray, dict[str, str]]:
    """Each entity's grid region for lookups (None for the national average chosen on
    purpose), and why the entities without one have none."""
    regions, problems = [], {}
    for code in entities:
        entity = org.get(code)
        region = entity.lookup_grid_region
        if region is None:
            problems[code] = grid_problem(code, entity.division_code)
        regions.append(None if region == NATIONAL else region)
    return np.array(regions, dtype=object), problems


def _check_datasets(method_set: MethodSet, library: FactorLibrary) -> None:
    """The datasets a method set names by name must exist: found before anything is
    computed, rather than as a missing factor in the middle of a calculation."""
    known = sorted({factor_set.name for factor_set in library.sets})
    for field in ("gwp_set", "grid_dataset"):
        name = getattr(method_set, field)
        if name not in known:
            raise CalculationError.coded(
                "calc.unknown_dataset",
                method_set=method_set.name,
                field=field,
                name=name,
                known=", ".join(known),
            )
