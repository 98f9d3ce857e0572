"""Plausibility flags for reviewers: reported activity far outside what plants measure.

The engine notes these on computed values (approved data only); a reviewer needs them
before approving. This reads the current values of every status from the ledger, per
entity and year, and applies the same check as the engine (``engine/methods/process.py``).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from functools import cache

import numpy as np
from sqlalchemy.orm import Session

from esgledger.engine.methods.process import (
    ANODE,
    BOUNDS,
    METAL,
    anode_per_tonne,
    plausibility_note,
)
from esgledger.factors import FactorLibrary, load_factor_sets
from esgledger.ledger.revisions import Selection, latest_revisions
from esgledger.periods import Period
from esgledger.units import conversion_factor


@cache
def factor_library(files: tuple[str, ...]) -> FactorLibrary:
    """The factor sets of the settings, read once: they do not change while a server runs."""
    return load_factor_sets(list(files) or None)


def review_flags(
    session: Session, library: FactorLibrary, entities: list[str] | None = None
) -> dict[tuple[str, int], list[str]]:
    """Plausibility notices per (entity, year) from the current values, whatever their status."""
    totals: dict[tuple[str, int], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    selection = Selection(entities=entities, indicators=[ANODE, METAL])
    for revision in latest_revisions(session, selection):
        if revision.is_tombstone or revision.canonical_value is None:
            continue
        key = (revision.entity, Period.parse(revision.period).year)
        totals[key][revision.indicator] += revision.canonical_value
    return {
        key: notes
        for key, values in totals.items()
        if (notes := _anode_notes(library, key, values))
    }


def _anode_notes(library: FactorLibrary, key: tuple[str, int], values: dict) -> list[str]:
    entity, year = key
    if not values.get(METAL) or ANODE not in values:
        return []
    on = date(year, 12, 31)
    content = library.get("carbon_content.carbon_anode", on=on, entity=entity)
    carbon = values[ANODE] * content.value * conversion_factor(content.unit, "dimensionless")
    per_tonne = anode_per_tonne(np.array(carbon), np.array(values[METAL]))
    notes = []
    for what, (_, unit, stem) in BOUNDS.items():
        low, high = (
            library.get(f"{stem}.measured_{end}", on=on).value
            * conversion_factor(library.get(f"{stem}.measured_{end}", on=on).unit, unit)
            for end in ("min", "max")
        )
        value = float(per_tonne[what])
        if not low <= value <= high:
            notes.append(plausibility_note(what, value, low, high))
    return notes
