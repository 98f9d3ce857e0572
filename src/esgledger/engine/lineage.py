"""What the engine records as it computes, so that any value can explain itself.

For every derived indicator the engine keeps one :class:`Node`: how it was computed, from
which indicators, and the whole-array contributions (:class:`Term`) and factors
(:class:`FactorUse`) that make it up. ``explain`` reads one cell out of these arrays; it
never recomputes anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from esgledger.factors.model import Factor


@dataclass(frozen=True)
class FactorUse:
    """A factor applied over the grid: its value per cell and which factor each cell used."""

    key: str
    unit: str
    values: np.ndarray
    choices: tuple[Factor | None, ...]  # None: an optional factor not found (no cell uses it)
    which: np.ndarray  # index into ``choices`` per cell; -1 where no factor was needed
    note: np.ndarray | None = None  # per-cell note, e.g. "2023 factor used for 2024"

    def at(self, row: int, col: int) -> tuple[float, Factor | None, str | None]:
        index = int(self.which[row, col])
        factor = self.choices[index] if index >= 0 else None
        note = self.note[row, col] if self.note is not None else None
        return float(self.values[row, col]), factor, (note or None)


@dataclass(frozen=True)
class Term:
    """One additive part of a method's result, e.g. natural gas × its coal coefficient."""

    label: str
    values: np.ndarray
    inputs: tuple[str, ...]
    factors: tuple[str, ...] = ()


@dataclass
class Node:
    """How one indicator was computed over the whole grid."""

    indicator: str
    recipe: str  # input | adds | ratio | formula | method | consolidated
    formula: str
    inputs: tuple[str, ...] = ()
    terms: list[Term] = field(default_factory=list)
    factors: dict[str, FactorUse] = field(default_factory=dict)


@dataclass(frozen=True)
class Diagnostic:
    """Something a reader of the results must know: a value left empty, a factor substituted."""

    indicator: str
    entity: str
    period: str
    message: str

    def __str__(self) -> str:
        return f"{self.indicator} for {self.entity} {self.period}: {self.message}"
