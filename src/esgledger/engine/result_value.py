"""One computed figure with what it means: its value in a unit, for a period, how estimated.

The engine keeps figures as arrays in each indicator's catalog unit; a bare float taken
out of them means something only beside that unit. Readers that carry a figure on (a
report's annex, a published figure checked against the engine) take a ``ResultValue`` so
the unit cannot be lost or mixed up on the way: conversion goes through the one pint
registry (``esgledger.units``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import pint

from esgledger.units import Q_, conversion_factor, parse_unit


@dataclass(frozen=True)
class ResultValue:
    """``value`` in ``unit`` for ``code`` (entity or boundary) and ``period``; NaN when the
    figure was not reported and cannot be computed. ``estimated_share`` (0 to 1) is how
    much of it rests on estimated observations."""

    indicator: str
    code: str
    period: str
    value: float
    unit: str
    estimated_share: float = 0.0

    @property
    def reported(self) -> bool:
        """Whether there is a figure at all (not NaN)."""
        return not math.isnan(self.value)

    def to(self, unit: str) -> ResultValue:
        """The same figure in ``unit`` (a UnitError names both units if they do not convert)."""
        if unit == self.unit:
            return self
        return replace(self, value=self.value * conversion_factor(self.unit, unit), unit=unit)

    def quantity(self) -> pint.Quantity:
        """The figure as a pint quantity of the project's registry."""
        return Q_(self.value, parse_unit(self.unit))
