"""What a registered method sees: input arrays, factor lookups and a place for its terms.

A method never loops over entities or periods. It asks for whole (entity × period) arrays
of its inputs and factors, combines them, and records each additive part as a term; the
engine sums the terms and keeps them for ``explain``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from typing import Any

import numpy as np

from esgledger.engine.errors import CalculationError
from esgledger.engine.grid import Grid
from esgledger.engine.lineage import Diagnostic, FactorUse, Node, Term
from esgledger.engine.methodset import MethodSet
from esgledger.factors import FactorLibrary
from esgledger.factors.errors import FactorNotFoundError
from esgledger.factors.model import Factor
from esgledger.periods import Period
from esgledger.units import conversion_factor

FALLBACK_YEARS = 5


@dataclass
class State:
    """Everything one evaluation shares: arrays computed so far and what is needed to go on."""

    grid: Grid
    catalog: Any
    library: FactorLibrary
    method_set: MethodSet
    regions: np.ndarray  # grid region per entity row (None where unknown)
    values: dict[str, np.ndarray] = field(default_factory=dict)
    estimated: dict[str, np.ndarray] = field(default_factory=dict)
    nodes: dict[str, Node] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # factors found so far, by lookup (key, date, entity and region, dataset, fallback); the
    # consolidation shares the entity level's, since the same library answers the same way
    resolved: dict[tuple, tuple[Factor, date]] = field(default_factory=dict)

    def lookup_dates(self) -> list[date]:
        """The day a factor must be valid on for each column: the period's last day."""
        return list(_lookup_dates(self.grid.periods))


class MethodContext:
    """The interface of registered methods (see ``engine/methods``)."""

    def __init__(self, state: State, node: Node) -> None:
        self.state = state
        self.node = node
        self.options = state.method_set

    def value(self, indicator: str, unit: str | None = None) -> np.ndarray:
        """The array of an indicator (NaN where not reported), optionally in ``unit``."""
        array = self.state.values.get(indicator)
        if array is None:
            array = np.full(self.state.grid.shape, np.nan)
        if unit is None:
            return array
        return array * conversion_factor(self.state.catalog.get(indicator).unit, unit)

    def amount(self, indicator: str, unit: str) -> np.ndarray:
        """Like :meth:`value` with unreported cells as 0: for activity that simply did not occur."""
        return np.nan_to_num(self.value(indicator, unit), nan=0.0)

    def factor(
        self,
        key: str,
        unit: str,
        *,
        dataset: str | None = None,
        regional: bool = False,
        fallback: bool = False,
    ) -> np.ndarray:
        """The factor ``key`` in ``unit`` for every cell, by period (and region if ``regional``)."""
        use = _lookup_grid(self.state, key, unit, dataset, regional, fallback, self.node.indicator)
        self.node.factors[key] = use
        return use.values

    def term(
        self, label: str, values: np.ndarray, inputs: tuple[str, ...], factors: tuple[str, ...] = ()
    ) -> np.ndarray:
        """Record one additive part of the result (in the indicator's unit) and return it."""
        self.node.terms.append(Term(label, values, inputs, factors))
        return values


@cache
def _lookup_dates(periods: tuple[str, ...]) -> tuple[date, ...]:
    return tuple(Period.parse(label).end - timedelta(days=1) for label in periods)


def _lookup_grid(
    state: State,
    key: str,
    unit: str,
    dataset: str | None,
    regional: bool,
    fallback: bool,
    indicator: str,
) -> FactorUse:
    """Look the factor up once per period column and distinct (entity, region) pair."""
    unique, row_of_pair = _distinct_pairs(state, regional)
    dates = state.lookup_dates()
    found = [
        [_resolve(state, key, on, pair, dataset, fallback, indicator, col) for pair in unique]
        for col, on in enumerate(dates)
    ]
    scale = np.array(
        [[f.value * conversion_factor(f.unit, unit) for f, _ in column] for column in found],
        dtype=float,
    ).reshape(len(dates), len(unique))
    stale = np.array(
        [
            [_stale_note(key, used_on, on) for _, used_on in column]
            for column, on in zip(found, dates, strict=True)
        ],
        dtype=object,
    ).reshape(len(dates), len(unique))
    # column ``col`` adds its ``len(unique)`` choices after those of the columns before it
    which = row_of_pair[:, None] + len(unique) * np.arange(len(dates), dtype=np.int64)[None, :]
    choices = tuple(f for column in found for f, _ in column)
    values = np.ascontiguousarray(scale.T[row_of_pair])
    return FactorUse(key, unit, values, choices, which, stale.T[row_of_pair])


def _distinct_pairs(
    state: State, regional: bool
) -> tuple[list[tuple[str | None, str | None]], np.ndarray]:
    """The distinct (entity, region) lookups and, per row, which of them it needs."""
    regions = state.regions if regional else np.full(state.grid.shape[0], None, dtype=object)
    by_entity = state.library.has_entity_overrides
    pairs = [
        (code if by_entity else None, region)
        for code, region in zip(state.grid.entities, regions, strict=True)
    ]
    unique = list(dict.fromkeys(pairs))
    position = {pair: index for index, pair in enumerate(unique)}
    return unique, np.array([position[pair] for pair in pairs], dtype=np.int64)


def _stale_note(key: str, used_on: date, on: date) -> str | None:
    if used_on.year == on.year:
        return None
    return f"{key} of {used_on.year} used for {on.year} (latest published)"


def _resolve(
    state: State,
    key: str,
    on: date,
    pair: tuple[str | None, str | None],
    dataset: str | None,
    fallback: bool,
    indicator: str,
    col: int,
) -> tuple[Factor, date]:
    """The factor for one (entity, region) on ``on``, or the newest earlier year if allowed."""
    seen = (key, on, pair, dataset, fallback)
    if seen not in state.resolved:
        state.resolved[seen] = _search(state, key, on, pair, dataset, fallback, indicator, col)
    return state.resolved[seen]


def _search(
    state: State,
    key: str,
    on: date,
    pair: tuple[str | None, str | None],
    dataset: str | None,
    fallback: bool,
    indicator: str,
    col: int,
) -> tuple[Factor, date]:
    entity, region = pair
    extra = [date(on.year - k, 12, 31) for k in range(1, FALLBACK_YEARS + 1)] if fallback else []
    for attempt in [on, *extra]:
        try:
            return state.library.get(
                key, on=attempt, region=region, dataset=dataset, entity=entity
            ), attempt
        except FactorNotFoundError as exc:
            last = exc
    where = f"entity {entity}, " if entity else ""
    raise CalculationError(
        f"{indicator} for period {state.grid.periods[col]}: no factor '{key}' "
        f"({dataset or 'any dataset'}) for {where}region {region or 'national'}: {last.message} "
        "Add the value in a factor file (esgledger calc --factors FILE.yaml) or choose a method "
        "set that allows the latest published factor."
    )
