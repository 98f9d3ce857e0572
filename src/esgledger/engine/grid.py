"""The axes every engine array shares: entities as rows, periods as columns."""

from __future__ import annotations

from dataclasses import dataclass

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
        return self.entities.index(code)

    def period_index(self, label: str) -> int:
        return self.periods.index(label)

    def period_ends(self) -> list[Period]:
        return [Period.parse(label) for label in self.periods]


def grid_label(period: str, granularity: Granularity) -> str:
    """The grid column an observation's period falls into (its year on a yearly grid)."""
    parsed = Period.parse(period)
    return str(parsed.year) if granularity is Granularity.YEAR else str(parsed)
