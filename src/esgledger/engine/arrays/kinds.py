"""Which indicator each observation is of, as a position in the list of indicators.

Two ways, one interface. In general every row's indicator text is hashed and looked up
(:class:`KindsByHash`). A frame whose indicator column polars knows to be sorted, as the
ledger hands them over (``ledger/frames.py``), holds each indicator's rows in one stretch:
a binary search per indicator finds the stretches, and no row's text is read at all
(:class:`KindsBySort`). Indicator ids are the longest texts of a frame, so that is the
larger part of reading one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from esgledger.engine.arrays.coding import PositionTable


@dataclass(frozen=True)
class KindsByHash:
    """Indicators found by the hash of each row's text."""

    table: PositionTable
    hashed = True  # the rows' indicator texts must be hashed

    def row_keys(self, hashes: dict[str, np.ndarray], start: int, count: int) -> np.ndarray:
        """One key per row, equal for rows of one indicator (here: the hash)."""
        return hashes["indicator"]

    def positions(self, keys: np.ndarray) -> np.ndarray:
        return self.table.lookup(keys)

    def run_positions(
        self, hashes: dict[str, np.ndarray], start: int, count: int, periods: int
    ) -> np.ndarray | None:
        """The indicator of each run of ``periods`` rows, None if a run holds several."""
        keys = hashes["indicator"].reshape(-1, periods)
        return self.table.lookup(keys[:, 0]) if (keys == keys[:, :1]).all() else None


@dataclass(frozen=True)
class KindsBySort:
    """Indicators found by binary search in a column sorted by byte order."""

    starts: np.ndarray  # first row of each stretch of one indicator (or of unlisted ones)
    kinds: np.ndarray  # the position of each stretch's indicator; ``unknown`` if unlisted
    hashed = False

    @classmethod
    def of(cls, column: pl.Series, indicators: list[str], unknown: int) -> KindsBySort | None:
        """The stretches of a sorted ``column``; None when polars does not know it sorted."""
        if not column.flags["SORTED_ASC"] or column.null_count():
            return None
        labels = pl.Series(indicators, dtype=pl.Utf8)
        lows = column.search_sorted(labels, side="left").to_numpy()
        highs = column.search_sorted(labels, side="right").to_numpy()
        starts, kinds, end = [], [], 0
        for position, (low, high) in enumerate(zip(lows, highs, strict=True)):
            if low == high:
                continue
            if low > end:  # rows of indicators not on the list lie in between
                starts.append(end), kinds.append(unknown)
            starts.append(low), kinds.append(position)
            end = high
        if end < column.len():
            starts.append(end), kinds.append(unknown)
        return cls(np.array(starts, dtype=np.int64), np.array(kinds, dtype=np.int64))

    def row_keys(self, hashes: dict[str, np.ndarray], start: int, count: int) -> np.ndarray:
        """The position of each row's indicator, rows ``start`` to ``start + count``."""
        first, last = self._stretch(np.array([start, start + count - 1]))
        bounds = np.clip(self.starts[first + 1 : last + 1], start, start + count)
        lengths = np.diff(np.concatenate(([start], bounds, [start + count])))
        return np.repeat(self.kinds[first : last + 1], lengths)

    def positions(self, keys: np.ndarray) -> np.ndarray:
        return keys

    def run_positions(
        self, hashes: dict[str, np.ndarray], start: int, count: int, periods: int
    ) -> np.ndarray | None:
        """The indicator of each run of ``periods`` rows, None if a run holds several."""
        inner = self.starts[(self.starts > start) & (self.starts < start + count)]
        if np.any((inner - start) % periods):
            return None
        return self.kinds[self._stretch(np.arange(start, start + count, periods))]

    def _stretch(self, rows: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.starts, rows, side="right") - 1
