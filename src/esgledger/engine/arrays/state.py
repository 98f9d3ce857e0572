"""The arrays of one evaluation, and what is derived from them once and shared.

``State`` holds every indicator's (entity × period) value and estimated-share arrays as the
engine computes them, the factor lookups made so far, and read-only arrays derived once
(amounts in a unit, reported cells, shared constant arrays) because several methods read
the same inputs. Methods never see it: they get a ``MethodContext`` (engine/context.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from esgledger.catalog.registry import Catalog
from esgledger.engine.arrays.factor_grid import lookup_dates
from esgledger.engine.arrays.grid import Grid
from esgledger.engine.lineage import FactorUse, Node
from esgledger.engine.methodset import MethodSet
from esgledger.engine.notices import Notices
from esgledger.errors import Phrase
from esgledger.factors import FactorLibrary
from esgledger.factors.model import Factor
from esgledger.units import conversion_factor


@dataclass
class State:
    """Everything one evaluation shares: arrays computed so far and what is needed to go on."""

    grid: Grid
    catalog: Catalog
    library: FactorLibrary
    method_set: MethodSet
    regions: np.ndarray  # grid region per entity row (None: national, or unknown)
    # why an entity has no grid region, by entity code: refused where a grid factor is needed
    grid_problems: dict[str, Phrase] = field(default_factory=dict)
    values: dict[str, np.ndarray] = field(default_factory=dict)
    estimated: dict[str, np.ndarray] = field(default_factory=dict)
    nodes: dict[str, Node] = field(default_factory=dict)
    diagnostics: Notices = field(default_factory=Notices)
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
