"""The time series of some factor sets, searchable by dataset, key, region and date.

Within a series a value holds from its ``valid_from`` until its ``valid_to`` or, when that
is open, until the next value starts; a region without its own value falls back to the
value for everywhere (``region=None``).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from datetime import date

from esgledger.factors.checks import group_series, start_of
from esgledger.factors.model import Factor


class SeriesIndex:
    """Series of some factor sets, searchable by dataset, key, region and date."""

    def __init__(self, factors: Iterable[Factor]) -> None:
        self.series = group_series(factors)
        self._starts = {k: [start_of(f) for f in v] for k, v in self.series.items()}
        self.datasets: dict[str, set[str]] = {}
        for dataset, key, _region in self.series:
            self.datasets.setdefault(key, set()).add(dataset)

    def resolve(self, dataset: str, key: str, region: str | None, on: date) -> Factor | None:
        """The value in force on ``on``: the region's own, else the one for everywhere."""
        for candidate in dict.fromkeys((region, None)):
            found = self._pick((dataset, key, candidate), on)
            if found is not None:
                return found
        return None

    def _pick(self, series_key: tuple[str, str, str | None], on: date) -> Factor | None:
        series = self.series.get(series_key)
        if not series:
            return None
        position = bisect_right(self._starts[series_key], on) - 1
        if position < 0:
            return None
        factor = series[position]
        return factor if factor.valid_to is None or on < factor.valid_to else None
