"""What the engine records as it computes, so that any value can explain itself.

For every derived indicator the engine keeps one :class:`Node`: how it was computed, from
which indicators, and the whole-array contributions (:class:`Term`) and factors
(:class:`FactorUse`) that make it up. ``explain`` reads one cell out of these arrays; it
never recomputes anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from esgledger.errors import render
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


EVERY_ENTITY, REGION = "every entity", "region "  # who a notice is about, besides an entity


@dataclass(frozen=True)
class Diagnostic:
    """Something a reader of the results must know: a value left empty, a factor substituted.

    ``message`` is the English text; a notice made by :meth:`coded` also keeps the
    catalogue code and parameters it was worded from, so that :meth:`text` words it in
    another language. ``entity`` is an entity code, ``*`` or a list of codes, or
    ``every entity`` or ``region <name>`` (:meth:`who` words those).
    """

    indicator: str
    entity: str
    period: str
    message: str
    code: str = ""
    params: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def coded(
        cls, indicator: str, entity: str, period: str, code: str, /, **params: Any
    ) -> Diagnostic:
        message = render(code, "en", **params)
        return cls(indicator, entity, period, message, code, tuple(params.items()))

    def text(self, lang: str) -> str:
        """The message in ``lang`` (``message`` is already the English one)."""
        if not self.code or lang == "en":
            return self.message
        return render(self.code, lang, **dict(self.params))

    def who(self, lang: str) -> str:
        """Whom the notice is about, in ``lang``."""
        if self.entity == EVERY_ENTITY:
            return render("engine_notice.every_entity", lang)
        if self.entity.startswith(REGION):
            return render("engine_notice.region", lang, region=self.entity.removeprefix(REGION))
        return self.entity

    def line(self, lang: str) -> str:
        """The notice as one line: indicator, whom, period and message."""
        return render(
            "engine_notice.line",
            lang,
            indicator=self.indicator,
            who=self.who(lang),
            period=self.period,
            message=self.text(lang),
        )

    def __str__(self) -> str:
        return self.line("en")
