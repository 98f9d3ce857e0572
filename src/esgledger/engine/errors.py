"""Errors of a calculation that the user can fix (a missing factor, a cycle, a bad unit)."""

from __future__ import annotations

from esgledger.errors import EsgError


class CalculationError(EsgError):
    """A value cannot be computed; the message names indicator, entities, period and the fix."""
