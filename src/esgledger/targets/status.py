"""The status of a target in one period, from plain numbers.

The rules (docs/targets-and-pathways.md):

* In or after the target year a period is ``met`` when its value satisfies the target
  (``<=`` for a cap, ``>=`` for a floor; ``<`` / ``>`` when the target is ``strict``),
  else ``missed``.
* Before the target year it is ``met`` when it already satisfies the target, ``on_track``
  when it is at or better than the linear trajectory from the base year's value to the
  target value, else ``at_risk``. A year-on-year target is ``on_track`` in a year whose
  change meets the target rate.
* A period without a value is ``no_data``.

Nothing here reads a ledger, so the edges (exactly on target, strict targets, intensity
met while the total is missed) are tested with hand-written numbers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from pydantic import BaseModel

from esgledger.targets.model import Status, Target, TargetType

# Computed ratios carry binary noise (2.956 may come out as 2.9560000000000004); a value
# this close to the threshold counts as on it.
_RELATIVE_TOLERANCE = 1e-9


class YearStatus(BaseModel):
    """One period of a target: its value, what the trajectory asked for, and the verdict.

    ``value`` and ``trajectory`` are in the indicator's unit, or in percent change for a
    year-on-year target; ``gap`` is how far the value still is from the final threshold
    (positive: not there yet), ``projected`` marks a year-to-date run rate, not an actual.
    """

    year: int
    value: float | None
    trajectory: float | None
    threshold: float | None
    gap: float | None
    status: Status
    projected: bool = False


def threshold(target: Target, base_value: float | None) -> float | None:
    """The level the target asks for, in the indicator's unit (a rate in % for year on year).

    >>> from esgledger.targets.model import Names
    >>> t = Target(id="e", name=Names(en="e", zh="能耗"), indicator="energy.total",
    ...            type="change_vs_base", base_year=2020, target_year=2025,
    ...            target_value=-10, source="s")
    >>> threshold(t, 200.0)
    180.0
    """
    if target.type is TargetType.CHANGE_VS_BASE:
        return None if _missing(base_value) else base_value * (1 + target.target_value / 100)
    return target.target_value


def trajectory(target: Target, base_value: float | None, year: int) -> float | None:
    """The value a straight line from (base year, base value) to the target asks for in
    ``year``; the target rate itself for a year-on-year target."""
    if target.type is TargetType.CHANGE_YOY:
        return target.target_value
    level = threshold(target, base_value)
    if target.base_year is None or _missing(base_value) or level is None:
        return None
    if year >= target.target_year:
        return level
    share = (year - target.base_year) / (target.target_year - target.base_year)
    return base_value + (level - base_value) * share


def satisfies(value: float, bound: float, lower_is_better: bool, strict: bool) -> bool:
    """Whether ``value`` is on the good side of ``bound`` (on it counts unless strict).

    >>> satisfies(2.956, 2.956, lower_is_better=True, strict=False)
    True
    >>> satisfies(0.6, 0.6, lower_is_better=True, strict=True)
    False
    """
    on_it = math.isclose(value, bound, rel_tol=_RELATIVE_TOLERANCE, abs_tol=1e-12)
    if on_it:
        return not strict
    return value < bound if lower_is_better else value > bound


def year_status(
    target: Target, year: int, value: float | None, base_value: float | None
) -> YearStatus:
    """The verdict for one period (``value`` is a % change for a year-on-year target)."""
    level = threshold(target, base_value)
    path = trajectory(target, base_value, year)
    if _missing(value):
        return YearStatus(
            year=year, value=None, trajectory=path, threshold=level, gap=None, status=Status.NO_DATA
        )
    down = target.lower_is_better
    gap = None if level is None else (value - level if down else level - value)
    if level is None:
        status = Status.NO_DATA
    elif satisfies(value, level, down, target.strict):
        is_early_rate = target.type is TargetType.CHANGE_YOY and year < target.target_year
        status = Status.ON_TRACK if is_early_rate else Status.MET
    elif year >= target.target_year:
        status = Status.MISSED
    elif path is not None and satisfies(value, path, down, strict=False):
        status = Status.ON_TRACK
    else:
        status = Status.AT_RISK
    return YearStatus(
        year=year, value=value, trajectory=path, threshold=level, gap=gap, status=status
    )


def assess(
    target: Target,
    actuals: Mapping[int, float],
    base_value: float | None,
    *,
    years: Sequence[int] = (),
    restated: tuple[int, float | None] | None = None,
) -> list[YearStatus]:
    """Every year from the base year (or the first year) on, ``no_data`` where none is known.

    Args:
        actuals: the indicator's values by year; a year-on-year target is judged on the
            percent change of each year against the year before.
        years: the years computed, so that a year without a value still shows.
        restated: (first year, base) when a structural change restated the base: years
            from the change on are judged on the restated trajectory, earlier years on the
            original one, so that each is compared like for like.
    """
    values = yoy_changes(actuals) if target.type is TargetType.CHANGE_YOY else dict(actuals)
    span = set(values) | set(years)
    first = target.base_year if target.base_year is not None else min(span, default=0)
    rows = []
    for year in sorted(y for y in span if y >= first):
        base = restated[1] if restated is not None and year >= restated[0] else base_value
        rows.append(year_status(target, year, values.get(year), base))
    return rows


def yoy_changes(actuals: Mapping[int, float]) -> dict[int, float]:
    """Percent change of each year against the previous one (years without one are left out).

    >>> {year: round(pct, 9) for year, pct in yoy_changes({2023: 100.0, 2024: 94.0}).items()}
    {2024: -6.0}
    """
    return {
        year: (actuals[year] / actuals[year - 1] - 1) * 100
        for year in sorted(actuals)
        if year - 1 in actuals
        and not _missing(actuals[year])
        and not _missing(actuals[year - 1])
        and actuals[year - 1] != 0
    }


def required_rate_pct(
    latest_year: int, latest_value: float | None, level: float | None, target_year: int
) -> float | None:
    """The compound annual change (in %) still needed from the latest value to the level.

    >>> round(required_rate_pct(2023, 100.0, 81.0, 2025), 6)
    -10.0
    """
    years = target_year - latest_year
    if years <= 0 or _missing(latest_value) or level is None or latest_value <= 0 or level <= 0:
        return None
    return ((level / latest_value) ** (1 / years) - 1) * 100


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))
