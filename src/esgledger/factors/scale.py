"""Whether a user factor's size is plausible next to the shipped values of its key.

A unit slip multiplies a result by 1,000 and loads without a word: ``grid.electricity``
given as 0.52 ``tCO2e/kWh`` (meant kg) makes Scope 2 a thousand times too large. A user
factor more than :data:`SPAN` times above or below every shipped value of its key (all
regions, datasets and years), once converted to their unit, is noted, not refused: a
plant's own factor may legitimately differ.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from esgledger.errors import Phrase, Problem
from esgledger.factors.checks import where
from esgledger.factors.lookup import FactorLibrary
from esgledger.factors.model import Factor
from esgledger.units import UnitError, conversion_factor

SPAN = 10  # how far outside the shipped range a value is noted; a unit slip is 1,000 or 3.6
Comparable = tuple[float, Factor]  # a shipped value in the user factor's unit, and the factor


def scale_notes(library: FactorLibrary) -> list[Problem]:
    """One note per user factor more than :data:`SPAN` times outside its key's shipped range.

    Keys with no shipped value, shipped values of another kind of unit (an NCV per tonne
    for one per cubic metre) and a user value of zero (a unit slip cannot make one) are
    not compared.
    """
    shipped: dict[str, list[Factor]] = defaultdict(list)
    for item in library.sets:
        for factor in () if item.is_override else item.factors:
            shipped[factor.key].append(factor)
    notes = []
    for item in library.sets:
        for factor in item.factors if item.is_override else ():
            note = _outside(factor, _comparable(factor, shipped.get(factor.key, [])))
            if note is not None:
                notes.append(note)
    return notes


def _comparable(factor: Factor, shipped: list[Factor]) -> list[Comparable]:
    """The shipped values, each converted to ``factor``'s unit, that can be."""
    found = []
    for other in shipped:
        try:
            found.append((other.value * conversion_factor(other.unit, factor.unit), other))
        except UnitError:
            continue
    return found


def _outside(factor: Factor, shipped: list[Comparable]) -> Problem | None:
    if factor.value <= 0 or not shipped:
        return None
    largest, smallest = max(shipped, key=_size), min(shipped, key=_size)
    if largest[0] > 0 and factor.value > SPAN * largest[0]:
        times = f"{factor.value / largest[0]:,.0f}"
        return _note(factor, largest, Phrase.of("factor.check.times_largest", times=times))
    if factor.value * SPAN < smallest[0]:
        times = f"{smallest[0] / factor.value:,.0f}"
        return _note(factor, smallest, Phrase.of("factor.check.part_of_smallest", times=times))
    return None


def _note(factor: Factor, extreme: Comparable, how_far: Phrase) -> Problem:
    other = extreme[1]
    mine = factor.value * conversion_factor(factor.unit, other.unit)
    return Problem.coded(
        replace(where(factor), column="value"),
        f"{factor.value:g} {factor.unit}",
        "factor.check.outside",
        key=factor.key,
        mine=_number(mine),
        unit=other.unit,
        how_far=how_far,
        shipped=_number(other.value),
        dataset=other.dataset,
    )


def _size(item: Comparable) -> float:
    return item[0]


def _number(value: float) -> str:
    """``520``, ``0.6361``, ``5.2e-05``; from 1,000 up with thousands separators."""
    return f"{value:,.0f}" if value >= 1000 else f"{value:.4g}"
