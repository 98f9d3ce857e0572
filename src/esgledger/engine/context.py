"""What a registered method sees: input arrays, factor lookups and a place for its terms.

A method never loops over entities or periods. It asks for whole (entity × period) arrays
of its inputs and factors, combines them, and records each additive part as a term; the
engine sums the terms and keeps them for ``explain``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
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
    factor_uses: dict[tuple, FactorUse] = field(default_factory=dict)
    # read-only arrays derived from ``values`` once and shared by every reader
    _amounts: dict[tuple[str, str | None], np.ndarray] = field(default_factory=dict)
    _reported: dict[str, np.ndarray] = field(default_factory=dict)
    _has_estimates: dict[str, bool] = field(default_factory=dict)
    _complete: dict[str, bool] = field(default_factory=dict)
    _empty: dict[str, bool] = field(default_factory=dict)
    _constants: dict[str, np.ndarray] = field(default_factory=dict)
    _pairs: dict[bool, tuple[list[tuple[str | None, str | None]], np.ndarray]] = field(
        default_factory=dict
    )

    def __post_init__(self) -> None:
        for kind, fill in (("nan", np.nan), ("zero", 0.0), ("false", False)):
            array = np.full(self.grid.shape, fill, dtype=bool if kind == "false" else float)
            array.flags.writeable = False
            self._constants[kind] = array

    def constant(self, kind: str) -> np.ndarray:
        """A shared read-only grid array: ``"nan"`` (nothing reported), ``"zero"``, ``"false"``.

        A catalog holds many indicators a group never reports, and derived ones computed
        only from those. They all share these arrays instead of each getting megabytes of
        fresh memory that every later step would read again.
        """
        return self._constants[kind]

    def empty(self, indicator: str) -> bool:
        """Whether no cell of the indicator has a value (or nobody reported it at all)."""
        if indicator not in self._empty:
            values = self.values.get(indicator)
            self._empty[indicator] = (
                values is None
                or values is self._constants["nan"]
                or not self.reported(indicator).any()
            )
        return self._empty[indicator]

    def lookup_dates(self) -> list[date]:
        """The day a factor must be valid on for each column: the period's last day."""
        return list(_lookup_dates(self.grid.periods))

    def amount(self, indicator: str, unit: str | None = None) -> np.ndarray:
        """The indicator in ``unit`` (default its own), unreported cells as 0. Do not modify.

        Several methods read the same inputs (electricity enters energy, Scope 2 location-
        and market-based): each array is cleaned and converted once.
        """
        own = self.catalog.get(indicator).unit if indicator in self.catalog else None
        key = (indicator, None if unit in (None, own) else unit)
        found = self._amounts.get(key)
        if found is None:
            found = self._cleaned(indicator, own, key[1])
            found.flags.writeable = False
            self._amounts[key] = found
        return found

    def _cleaned(self, indicator: str, own: str | None, unit: str | None) -> np.ndarray:
        """The values with NaN as 0, converted from ``own`` to ``unit``: a new array only
        where something changes (stored values are never written after they are stored)."""
        if self.empty(indicator):
            return self.constant("zero")
        values = self.values[indicator]
        if self.fully_reported(indicator):
            return values.view() if unit is None else values * conversion_factor(own, unit)
        found = values.copy()
        found[~self.reported(indicator)] = 0.0
        if unit is not None:
            found *= conversion_factor(own, unit)
        return found

    def reported(self, indicator: str) -> np.ndarray:
        """Where the indicator has a value (not NaN). Do not modify."""
        found = self._reported.get(indicator)
        if found is None:
            values = self.values.get(indicator)
            if values is None or values is self._constants["nan"]:
                found = self.constant("false")
            else:
                found = ~np.isnan(values)
                found.flags.writeable = False
            self._reported[indicator] = found
        return found

    def fully_reported(self, indicator: str) -> bool:
        """Whether every cell of the indicator has a value."""
        if indicator not in self._complete:
            self._complete[indicator] = bool(self.reported(indicator).all())
        return self._complete[indicator]

    def leave_unreported(self, total: np.ndarray, inputs: Iterable[str]) -> np.ndarray:
        """NaN in ``total`` (in place) wherever none of ``inputs`` was reported."""
        reported = None
        for name in inputs:
            if self.fully_reported(name):
                return total
            mask = self.reported(name)
            if reported is None:
                reported = mask.copy()
            else:
                reported |= mask
        if reported is None:
            total[...] = np.nan
        elif not reported.all():
            total[~reported] = np.nan
        return total

    def share(self, indicator: str) -> np.ndarray | None:
        """The indicator's estimated share, or None when no cell of it rests on estimates."""
        share = self.estimated.get(indicator)
        if share is None or share is self._constants["zero"]:
            return None
        if indicator not in self._has_estimates:
            self._has_estimates[indicator] = bool(share.any())
        return share if self._has_estimates[indicator] else None


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
            array = self.state.constant("nan")
        if unit is None:
            return array
        return array * conversion_factor(self.state.catalog.get(indicator).unit, unit)

    def amount(self, indicator: str, unit: str) -> np.ndarray:
        """Like :meth:`value` with unreported cells as 0: for activity that simply did not occur.

        The array is shared with other readers: compute new arrays from it, never in place.
        """
        return self.state.amount(indicator, unit)

    def has_factor(self, key: str) -> bool:
        """Whether any factor set defines ``key`` (for optional lines that need a user factor)."""
        return self.state.library.defines(key)

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
    """The factor over the grid: one lookup per stretch of unchanged values and (entity, region).

    Columns whose dates fall between the same two change dates of ``key`` in the same year
    get the same answer (see ``FactorLibrary.change_dates``): a monthly grid of ten years
    needs about ten lookups per pair, not 120. Several methods asking for the same factor
    share one result.
    """
    asked = (key, unit, dataset, regional, fallback)
    if asked in state.factor_uses:
        return state.factor_uses[asked]
    unique, row_of_pair = _distinct_pairs(state, regional)
    dates = state.lookup_dates()
    changes = state.library.change_dates(key)
    stretches = [(on.year, bisect_right(changes, on)) for on in dates]
    first = {s: col for col, s in reversed(list(enumerate(stretches)))}
    numbers = {s: n for n, s in enumerate(first)}
    stretch_of_col = np.array([numbers[s] for s in stretches], dtype=np.int64)
    answers = [
        [
            _resolve(state, key, dates[col], pair, dataset, fallback, indicator, col)
            for pair in unique
        ]
        for col in first.values()
    ]
    scale = np.array(
        [[f.value * conversion_factor(f.unit, unit) for f, _ in row] for row in answers]
    )
    notes = [
        [_stale_note(key, used_on, dates[col]) for _, used_on in row]
        for row, col in zip(answers, first.values(), strict=True)
    ]
    # cell (row, col) used answer (stretch of col, pair of row), numbered stretch by stretch
    if len(unique) == 1:  # every row alike: one row of the grid, read as each of them
        which = np.broadcast_to(stretch_of_col, state.grid.shape)
        values = np.broadcast_to(scale.reshape(-1)[stretch_of_col], state.grid.shape)
    else:
        which = stretch_of_col[None, :] * len(unique) + row_of_pair[:, None]
        values = scale.reshape(-1)[which]
        values.flags.writeable = False  # shared by every method that asks for this factor
    note = None
    if any(n for row in notes for n in row):
        note = np.array(notes, dtype=object).reshape(-1)[which]
    use = FactorUse(key, unit, values, tuple(f for row in answers for f, _ in row), which, note)
    state.factor_uses[asked] = use
    return use


def _distinct_pairs(
    state: State, regional: bool
) -> tuple[list[tuple[str | None, str | None]], np.ndarray]:
    """The distinct (entity, region) lookups and, per row, which of them it needs."""
    if regional in state._pairs:  # the same for every factor: found once per state
        return state._pairs[regional]
    regions = state.regions if regional else np.full(state.grid.shape[0], None, dtype=object)
    by_entity = state.library.has_entity_overrides
    pairs = [
        (code if by_entity else None, region)
        for code, region in zip(state.grid.entities, regions, strict=True)
    ]
    unique = list(dict.fromkeys(pairs))
    position = {pair: index for index, pair in enumerate(unique)}
    found = unique, np.array([position[pair] for pair in pairs], dtype=np.int64)
    state._pairs[regional] = found
    return found


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
