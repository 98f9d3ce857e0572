"""Indicators bound to one boundary: empty everywhere else.

An indicator whose name speaks of a scope ("carbon intensity of the 7 key entities", "of
the metals segment") is computed like any other, but a value of it at the group, at another
boundary or at a single entity would print the name over figures of a different scope. After
consolidation its arrays keep only the row of its own boundary; every reader (report,
dashboard, API, exports, targets) then finds it there and nowhere else.
"""

from __future__ import annotations

import numpy as np

from esgledger.engine.arrays.state import State


def keep_to_scope(entities: State, boundaries: State) -> None:
    """Blank every scoped indicator outside the boundary its catalog entry names."""
    for indicator in entities.catalog:
        if indicator.scope is None or indicator.id not in boundaries.values:
            continue
        if indicator.id in entities.values:
            entities.replace(indicator.id, entities.constant("nan"), entities.constant("zero"))
        codes = boundaries.grid.entities
        if indicator.scope not in codes:
            # an organisation without that tag or segment has no such figure: left empty
            boundaries.replace(
                indicator.id, boundaries.constant("nan"), boundaries.constant("zero")
            )
            continue
        row = codes.index(indicator.scope)
        boundaries.replace(
            indicator.id,
            _only_row(boundaries.values[indicator.id], row, np.nan),
            _only_row(boundaries.estimated[indicator.id], row, 0.0),
        )


def _only_row(array: np.ndarray, row: int, fill: float) -> np.ndarray:
    kept = np.full(array.shape, fill)
    kept[row] = array[row]
    return kept
