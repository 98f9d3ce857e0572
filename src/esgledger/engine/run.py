"""Compute a snapshot under a method set: pivot, evaluate, consolidate.

This is the engine's front door. It takes plain data (an observations frame, the org tree,
the catalog, a factor library) and knows nothing about where they were stored.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl

from esgledger.engine.compute import compute
from esgledger.engine.consolidate import build_targets, consolidate
from esgledger.engine.context import State
from esgledger.engine.cube import build_cube
from esgledger.engine.errors import CalculationError
from esgledger.engine.grid import Grid
from esgledger.engine.methodset import MethodSet
from esgledger.engine.results import Results
from esgledger.engine.scoped import keep_to_scope
from esgledger.factors import FactorLibrary
from esgledger.org import OrgTree
from esgledger.org.divisions import NATIONAL, grid_problem
from esgledger.periods import Granularity


def calculate(
    observations: pl.DataFrame,
    org: OrgTree,
    catalog: Any,
    library: FactorLibrary,
    method_set: MethodSet,
    periods: list[str],
    granularity: Granularity = Granularity.YEAR,
) -> Results:
    """Every derived indicator for every entity and target, for ``periods``.

    Args:
        observations: approved values with columns entity, period, indicator, value (in the
            indicator's unit), revision_id, quality, source.
        periods: the grid's columns, e.g. ``["2022", "2023", "2024"]``.
    """
    _check_datasets(method_set, library)
    entities = tuple(sorted(e.code for e in org))
    grid = Grid(entities, tuple(periods), granularity)
    stocks = {i.id for i in catalog if i.quantity_type == "stock"}
    cube = build_cube(observations, grid, stocks, [i.id for i in catalog])
    regions, problems = _grid_regions(org, entities)
    state = State(grid, catalog, library, method_set, regions, grid_problems=problems)
    state.values.update(cube.values)
    state.estimated.update(cube.estimated)
    state.share_cells.update(cube.estimated_cells)
    compute(state)
    targets = build_targets(org, entities, method_set.consolidation)
    consolidated = consolidate(state, targets)
    keep_to_scope(state, consolidated)
    return Results(method_set, state, consolidated, targets, cube)


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
            raise CalculationError(
                f"method set {method_set.name!r} names {field} {name!r}, which no factor set "
                f"defines; known datasets: {', '.join(known)}. Correct the method set, or add "
                f"a factor file whose name is {name!r}."
            )
