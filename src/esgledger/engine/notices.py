"""A calculation's notices, kept as arrays where a check flags many cells at once.

A range check over a whole grid can flag every cell (a synthetic or badly keyed ledger:
240,000 anode notices at 1,000 entities x 120 months). Building a Python object per cell
cost more than the rest of a monthly calculation, and most runs never read the notices
one by one (the command line counts them, the dashboard shows none). So a check hands
over its flagged cells as arrays (:class:`CellNotices`), and the notices are made when
someone reads them, in the order they were recorded.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np

from esgledger.engine.lineage import Diagnostic


class CellNotices:
    """The notices of one indicator over many cells, with one wording.

    ``columns`` are arrays of the same length as the cells' entities and periods, one per
    parameter of ``names``; a cell's notice is the catalogue text ``code`` filled with the
    cell's entries of the columns and the parameters ``fixed`` that every cell shares.
    """

    __slots__ = ("code", "columns", "entities", "fixed", "indicator", "names", "periods")

    def __init__(
        self,
        indicator: str,
        cells: tuple[np.ndarray, np.ndarray],
        columns: dict[str, np.ndarray],
        code: str,
        fixed: dict[str, Any],
    ) -> None:
        self.indicator = indicator
        self.entities, self.periods = cells
        self.names, self.columns = tuple(columns), tuple(columns.values())
        self.code, self.fixed = code, fixed

    def __len__(self) -> int:
        return len(self.entities)

    def __iter__(self) -> Iterator[Diagnostic]:
        rows = zip(*(column.tolist() for column in self.columns), strict=True)
        cells = zip(self.entities.tolist(), self.periods.tolist(), rows, strict=True)
        for entity, period, row in cells:
            params = {**self.fixed, **dict(zip(self.names, row, strict=True))}
            yield Diagnostic.coded(self.indicator, entity, period, self.code, **params)


Part = Diagnostic | CellNotices


class Notices:
    """The notices in the order recorded: single notices and blocks of cell notices.

    Read it as a sequence of :class:`Diagnostic` (``for``, ``len``, ``+``); the blocks are
    turned into notices as they are read.
    """

    __slots__ = ("parts",)

    def __init__(self, parts: Iterable[Part] = ()) -> None:
        self.parts: list[Part] = list(parts)

    def append(self, notice: Diagnostic) -> None:
        self.parts.append(notice)

    def extend(self, notices: Iterable[Diagnostic] | CellNotices) -> None:
        """Record notices; a block is kept whole (``list.append`` is atomic: threads of one
        dependency level record side by side, and the level is put in order afterwards)."""
        if isinstance(notices, CellNotices):
            self.parts.append(notices)
        elif isinstance(notices, Notices):
            self.parts.extend(notices.parts)
        else:
            self.parts.extend(notices)

    def of(self, indicator: str) -> Iterator[Diagnostic]:
        """The notices of one indicator, without reading the other indicators' blocks."""
        return _read(part for part in self.parts if part.indicator == indicator)

    def __iter__(self) -> Iterator[Diagnostic]:
        return _read(self.parts)

    def __len__(self) -> int:
        return sum(len(part) if isinstance(part, CellNotices) else 1 for part in self.parts)

    def __bool__(self) -> bool:
        return bool(self.parts)

    def __add__(self, other: Iterable[Part]) -> Notices:
        return Notices([*self.parts, *(other.parts if isinstance(other, Notices) else other)])

    def __repr__(self) -> str:
        return f"Notices({len(self)} in {len(self.parts)} parts)"


def _read(parts: Iterable[Part]) -> Iterator[Diagnostic]:
    for part in parts:
        if isinstance(part, CellNotices):
            yield from part
        else:
            yield part
