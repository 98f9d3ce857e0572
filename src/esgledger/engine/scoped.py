"""Indicators bound to one consolidation target: empty everywhere else.

An indicator whose name speaks of a scope ("carbon intensity of the 7 key entities", "of
the metals segment") is computed like any other, but a value of it at the group, at another
target or at a single entity would print the name over figures of a different scope. After
consolidation its arrays keep only the row of its own target; every reader (report,
dashboard, API, exports, targets) then finds it there and nowhere else.
"""

from __future__ import annotations

import numpy as np

from esgledger.engine.context import State


def keep_to_scope(entities: State, targets: State) -> None:
    """Blank every scoped indicator outside the target its catalog entry names."""
    for indicator in entities.catalog:
        if indicator.scope is None or indicator.id not in targets.values:
            continue
        if indicator.id in entities.values:
            entities.replace(indicator.id, entities.constant("nan"), entities.constant("zero"))
        codes = targets.grid.entities
        if indicator.scope not in codes:
            # an organisation without that tag or segment has no such figure: left empty
            targets.replace(indicator.id, targets.constant("nan"), targets.constant("zero"))
            continue
        row = codes.index(indicator.scope)
        targets.replace(
            indicator.id,
            _only_row(targets.values[indicator.id], row, np.nan),
            _only_row(targets.estimated[indicator.id], row, 0.0),
        )


def _only_row(array: np.ndarray, row: int, fill: float) -> np.ndarray:
    kept = np.full(array.shape, fill)
    kept[row] = array[row]
    return kept
