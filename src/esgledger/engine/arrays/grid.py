"""The axes every engine array shares: entities as rows, periods as columns.

A grid's columns are periods of one granularity, except the grid of months a yearly
calculation computes on (docs/architecture.md, Engine): its columns are the months of the
years asked for and, after them, those years themselves, which hold what was reported for
a whole year only.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property

import numpy as np

from esgledger.periods import Granularity, Period


@dataclass(frozen=True)
class Grid:
    """The axes of every array: entity codes (rows) and period labels (columns)."""

    entities: tuple[str, ...]
    periods: tuple[str, ...]
    granularity: Granularity = Granularity.YEAR

    @property
    def shape(self) -> tuple[int, int]:
        return (len(self.entities), len(self.periods))

    def entity_index(self, code: str) -> int:
        """The row of ``code``; ValueError when the grid has none (as ``tuple.index``)."""
        if code not in self._entity_positions:
            raise ValueError(f"{code!r} is not a row of the grid")
        return self._entity_positions[code]

    def period_index(self, label: str) -> int:
        """The column of ``label``; ValueError when the grid has none."""
        if label not in self._period_positions:
            raise ValueError(f"{label!r} is not a column of the grid")
        return self._period_positions[label]

    @cached_property
    def _entity_positions(self) -> dict[str, int]:
        return {code: row for row, code in enumerate(self.entities)}

    @cached_property
    def _period_positions(self) -> dict[str, int]:
        return {label: col for col, label in enumerate(self.periods)}

    def prior_year_columns(self) -> np.ndarray:
        """Per column, the column of the same period one year earlier; -1 where the grid
        has none (its first year, or a year left out)."""
        return _prior_year_columns(self.periods)


@cache
def _prior_year_columns(periods: tuple[str, ...]) -> np.ndarray:
    position = {label: col for col, label in enumerate(periods)}
    found = np.full(len(periods), -1, dtype=np.int64)
    for col, label in enumerate(periods):
        earlier = f"{int(label[:4]) - 1}{label[4:]}"
        found[col] = position.get(earlier, -1)
    found.flags.writeable = False
    return found


def grid_label(period: str, granularity: Granularity) -> str:
    """The grid column an observation's period falls into (its year on a yearly grid)."""
    parsed = Period.parse(period)
    return str(parsed.year) if granularity is Granularity.YEAR else str(parsed)


def month_labels(years: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """The twelve months of each year, in order."""
    return tuple(f"{year}-{month:02d}" for year in years for month in range(1, 13))
