"""Factors whose value changes inside a period of the grid.

A factor is looked up on a period's last day and that value stands for the whole period
(docs/methodology.md, Periods). Where a value of the key starts or ends inside a period
(a half-year factor on a yearly grid) the figure then rests on a value that did not hold
for all of it: the calculation says so in a note.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date, timedelta
from functools import cache
from typing import TYPE_CHECKING

from esgledger.engine.lineage import Diagnostic
from esgledger.errors import Phrase
from esgledger.periods import Period

if TYPE_CHECKING:
    from esgledger.engine.arrays.state import State
    from esgledger.factors.model import Factor

_DAY = timedelta(days=1)


def changes_inside_periods(state: State, key: str) -> list[tuple[int, list[date]]]:
    """Each column of the grid whose period contains dates on which a value of ``key``
    starts or ends (not counting its first day), with those dates: a year with a factor
    for part of it only."""
    changes = state.library.change_dates(key)
    found = []
    for col, (first, last) in enumerate(first_and_last_days(state.grid.periods)):
        inside = changes[bisect_right(changes, first) : bisect_right(changes, last)]
        if inside:
            found.append((col, list(inside)))
    return found


@cache
def first_and_last_days(periods: tuple[str, ...]) -> tuple[tuple[date, date], ...]:
    """Each period's first and last day (its end is exclusive)."""
    bounds = (Period.parse(label) for label in periods)
    return tuple((period.start, period.end - _DAY) for period in bounds)


def part_period_note(
    indicator: str,
    key: str,
    period: str,
    changed: date,
    entity: str | None,
    region: str | None,
    used: Factor | None,
) -> Diagnostic:
    who = entity or (f"region {region}" if region else "every entity")
    value = (
        f"{used.value:g} {used.unit}" if used is not None else Phrase.of("engine_notice.no_value")
    )
    code = "engine_notice.factor_changes"
    return Diagnostic.coded(indicator, who, period, code, key=key, changed=changed, value=value)
