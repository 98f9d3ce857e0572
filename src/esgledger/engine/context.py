"""What a registered method sees: input arrays, factor lookups and a place for its terms.

A method never loops over entities or periods. It asks for whole (entity × period) arrays
of its inputs and factors, combines them, and records each additive part as a term; the
engine sums the terms and keeps them for ``explain``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import numpy as np

from esgledger.engine.factor_grid import lookup_dates, lookup_grid
from esgledger.engine.grid import Grid
from esgledger.engine.lineage import Diagnostic, FactorUse, Node, Term
from esgledger.engine.methodset import MethodSet
from esgledger.errors import ErrorKind, EsgError
from esgledger.factors import FactorLibrary
from esgledger.factors.model import Factor
from esgledger.units import conversion_factor


@dataclass
class State:
    """Everything one evaluation shares: arrays computed so far and what is needed to go on."""

    grid: Grid
    catalog: Any
    library: FactorLibrary
    method_set: MethodSet
    regions: np.ndarray  # grid region per entity row (None: national, or unknown)
    # why an entity has no grid region, by entity code: refused where a grid factor is needed
    grid_problems: dict[str, str] = field(default_factory=dict)
    values: dict[str, np.ndarray] = field(default_factory=dict)
    estimated: dict[str, np.ndarray] = field(default_factory=dict)
    nodes: dict[str, Node] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # factors found so far, by lookup (key, date, entity and region, dataset, fallback); the
    # consolidation shares the entity level's, since the same library answers the same way
    resolved: dict[tuple, tuple[Factor | None, date | None]] = field(default_factory=dict)
    factor_uses: dict[tuple, FactorUse] = field(default_factory=dict)
    # the cells whose estimated share is not 0, where known without a search (inputs)
    share_cells: dict[str, np.ndarray] = field(default_factory=dict)
    # what factor_grid works out once per calculation: lookups per row, stretches of dates
    factor_pairs: dict[bool, tuple[list[tuple[str | None, str | None]], np.ndarray]] = field(
        default_factory=dict
    )
    factor_stretches: dict[tuple[date, ...], tuple[np.ndarray, list[int]]] = field(
        default_factory=dict
    )
    # read-only arrays derived from ``values`` once and shared by every reader
    _amounts: dict[tuple[str, str | None], np.ndarray] = field(default_factory=dict)
    _reported: dict[str, np.ndarray] = field(default_factory=dict)
    _has_estimates: dict[str, bool] = field(default_factory=dict)
    _complete: dict[str, bool] = field(default_factory=dict)
    _empty: dict[str, bool] = field(default_factory=dict)
    _never_negative: dict[str, bool] = field(default_factory=dict)
    _constants: dict[str, np.ndarray] = field(default_factory=dict)

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

    def replace(self, indicator: str, values: np.ndarray, estimated: np.ndarray) -> None:
        """Store new arrays for an indicator already computed, forgetting what was derived
        from the old ones (amounts, reported cells, emptiness)."""
        self.values[indicator], self.estimated[indicator] = values, estimated
        for cache in (self._reported, self._has_estimates, self._complete, self._empty):
            cache.pop(indicator, None)
        self._never_negative.pop(indicator, None)
        for key in [k for k in self._amounts if k[0] == indicator]:
            del self._amounts[key]

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
        return list(lookup_dates(self.grid.periods))

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

    def never_negative(self, indicator: str) -> bool:
        """Whether no cell of the indicator is below 0 (unreported cells count as 0)."""
        if indicator not in self._never_negative:
            amounts = self.amount(indicator)
            self._never_negative[indicator] = not amounts.size or bool(amounts.min() >= 0)
        return self._never_negative[indicator]

    def estimated_cells(self, indicator: str) -> np.ndarray | None:
        """The flat positions where the indicator's estimated share is not 0, when known
        (None: not known, or no share at all)."""
        return self.share_cells.get(indicator) if self.share(indicator) is not None else None

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

    def _declared(self, indicator: str) -> None:
        """Refuse an input the method did not declare in ``reads``.

        The engine orders the work by the declared reads: an undeclared input may not be
        computed yet, and would be read as "not reported" (and that answer cached) instead
        of its value. That is a defect of the method, never of the user's data.
        """
        if indicator not in self.node.inputs:
            name = self.state.catalog.get(self.node.indicator).method
            raise EsgError(
                f"method {name} (of {self.node.indicator}) reads {indicator!r}, which it does not "
                f"declare (reads: {', '.join(self.node.inputs) or 'nothing'}); add it to "
                "the method's reads= in its @method registration",
                kind=ErrorKind.BUG,
            )

    def value(self, indicator: str, unit: str | None = None) -> np.ndarray:
        """The array of an indicator (NaN where not reported), optionally in ``unit``."""
        self._declared(indicator)
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
        self._declared(indicator)
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
        optional: bool = False,
        used_where: np.ndarray | None = None,
    ) -> np.ndarray:
        """The factor ``key`` in ``unit`` for every cell, by period (and region if ``regional``).

        An ``optional`` factor is NaN where none is found, for a method that has a stand-in.
        ``used_where`` (a mask) limits the cells whose lineage names this factor, for a
        method that applies it to some cells only.
        """
        use = lookup_grid(
            self.state, key, unit, dataset, regional, fallback, self.node.indicator, optional
        )
        if used_where is not None:  # a copy: the lookup is shared with other methods
            use = replace(use, which=np.where(used_where, use.which, -1))
        if optional and not (use.which >= 0).any():
            return use.values  # found nowhere: not part of this result's lineage
        self.node.factors[key] = use
        return use.values

    def term(
        self, label: str, values: np.ndarray, inputs: tuple[str, ...], factors: tuple[str, ...] = ()
    ) -> np.ndarray:
        """Record one additive part of the result (in the indicator's unit) and return it."""
        self.node.terms.append(Term(label, values, inputs, factors))
        return values
