"""What a registered method sees: input arrays, factor lookups and a place for its terms.

A method never loops over entities or periods. It asks for whole (entity × period) arrays
of its inputs and factors, combines them, and records each additive part as a term; the
engine sums the terms and keeps them for ``explain``. This is the one door from the
methods (engine/methods) to the array machinery (engine/arrays): a method reads the
accounting (formula, factor, unit, source) and leaves caching, lookups by stretch of dates
and lineage bookkeeping to the context.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

import numpy as np

from esgledger.engine.arrays.factor_grid import lookup_grid
from esgledger.engine.arrays.grid import Grid
from esgledger.engine.arrays.state import State
from esgledger.engine.lineage import Diagnostic, Node, Term
from esgledger.engine.notices import CellNotices
from esgledger.errors import ErrorKind, EsgError, Phrase
from esgledger.units import conversion_factor


class MethodContext:
    """The interface of registered methods (see ``engine/methods``).

    ``state`` belongs to the engine; a method reads only what the methods below give it
    (tests/test_architecture.py holds every method to that).
    """

    def __init__(self, state: State, node: Node) -> None:
        self.state = state
        self.node = node
        self.options = state.method_set

    @property
    def grid(self) -> Grid:
        """The axes of every array: ``grid.entities`` (rows) and ``grid.periods`` (columns)."""
        return self.state.grid

    @property
    def grid_problems(self) -> dict[str, Phrase]:
        """Why an entity has no grid region, by entity code (refused where one is needed)."""
        return self.state.grid_problems

    def zeros(self) -> np.ndarray:
        """A shared read-only grid of zeros, for a part that does not apply."""
        return self.state.constant("zero")

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

    def reported(self, indicator: str) -> np.ndarray:
        """Where the indicator has a value (a shared mask: never modify it)."""
        self._declared(indicator)
        return self.state.reported(indicator)

    def empty(self, indicator: str) -> bool:
        """Whether no cell of the indicator has a value."""
        self._declared(indicator)
        return self.state.empty(indicator)

    def note(self, diagnostics: Iterable[Diagnostic] | CellNotices) -> None:
        """Record notices on the result (a reviewer reads them; they never change a value)."""
        self.state.diagnostics.extend(diagnostics)

    def _method_reads(self) -> tuple[str, ...] | None:
        """The declared inputs, when the indicator is computed by a registered method."""
        catalog = self.state.catalog
        known = self.node.indicator in catalog
        return self.node.inputs if known and catalog.get(self.node.indicator).method else None

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
            self.state,
            key,
            unit,
            dataset,
            regional,
            fallback,
            self.node.indicator,
            optional,
            reads=self._method_reads(),
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
