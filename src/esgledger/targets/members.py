"""A boundary's target applied to each of its entities on its own.

The group commits its key energy-using units, together, to an energy intensity (the demo's
"energy intensity of the 7 key entities 6 % lower year on year"); a plant energy engineer
wants to see each unit against the same commitment: its year's intensity (so far) beside
what the target asks of it, and the months behind it. The target is read the same way as
for the boundary (:mod:`.status`): a year-on-year change asks each unit for its own
previous year less the rate, a change against the base year for its own base year's value
changed, a cap for the cap itself.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from esgledger.engine.results import Results
from esgledger.targets.model import Target, TargetType
from esgledger.targets.status import satisfies, threshold
from esgledger.units import conversion_factor


@dataclass(frozen=True)
class MemberStanding:
    """One entity of the target's boundary in ``year``, in the indicator's catalog unit."""

    entity: str
    year: str
    value: float | None
    previous: float | None
    goal: float | None
    months: list[tuple[str, float]]
    met: bool | None


def member_standings(results: Results, target: Target, year: str) -> list[MemberStanding]:
    """Each entity of ``target``'s boundary judged by the target on its own in ``year``;
    none when the results hold no such boundary."""
    if target.scope not in results.membership.codes:
        return []
    row = results.membership.codes.index(target.scope)
    entities = results.entities.grid.entities
    members = [entities[i] for i in np.flatnonzero(results.membership.members[row])]
    return [_standing(results, target, code, year) for code in members]


def _standing(results: Results, target: Target, code: str, year: str) -> MemberStanding:
    value = _known(results.value(target.indicator, code, year))
    previous = _known(results.value(target.indicator, code, str(int(year) - 1)))
    goal = _goal(results, target, code, previous)
    months = [
        (month, v)
        for month in results.month_periods
        if month.startswith(f"{year}-")
        and (v := _known(results.value(target.indicator, code, month))) is not None
    ]
    met = None
    if value is not None and goal is not None:
        met = satisfies(value, goal, target.lower_is_better, target.strict)
    return MemberStanding(code, year, value, previous, goal, months, met)


def _goal(results: Results, target: Target, code: str, previous: float | None) -> float | None:
    """What the target asks of one entity, in the indicator's catalog unit."""
    if target.type is TargetType.CHANGE_YOY:
        return None if previous is None else previous * (1 + target.target_value / 100)
    if target.type is TargetType.CHANGE_VS_BASE:
        base = _known(results.value(target.indicator, code, str(target.base_year)))
        return threshold(target, base)
    unit = results.catalog.get(target.indicator).unit
    return target.target_value * conversion_factor(target.unit or unit, unit)


def _known(value: float) -> float | None:
    return None if math.isnan(value) else value
