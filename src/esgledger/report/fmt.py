"""How numbers are written in the report, in one place, so that `verify` writes them the same.

A row uses one number of decimals for all its years (chosen from its largest value unless
the configuration fixes it), so columns line up and a value never changes its look from
one year to the next. Shares change in percentage points, everything else in percent.

>>> decimals_for([1175.0, 996.99, 918.99])
0
>>> decimals_for([13.796, 11.72])
2
>>> format_number(819687.0, 0)
'819,687'
>>> format_number(None, 0)
'/'
>>> yoy_change(110.0, 100.0, "t")
0.1
>>> format_change(0.1, "t", "en")
'+10.0%'
>>> format_change(1.5, "%", "zh")
'+1.50个百分点'
"""

from __future__ import annotations

import math
from collections.abc import Sequence

NOT_REPORTED = "/"
NO_CHANGE = "—"
POINT_UNITS = ("%", "permille")
_POINTS = {"en": " pp", "zh": "个百分点"}


def decimals_for(values: Sequence[float | None], fixed: int | None = None) -> int:
    """Decimals for a row: none for whole numbers and large values, more for small ones."""
    if fixed is not None:
        return fixed
    present = [abs(v) for v in values if v is not None and math.isfinite(v)]
    if not present or all(abs(v - round(v)) < 1e-9 for v in present):
        return 0
    largest = max(present)
    if largest >= 100:
        return 0
    if largest >= 1:
        return 2
    return 3


def format_number(value: float | None, decimals: int) -> str:
    """``1,234.5`` style (Chinese reports group digits the same way); "/" when missing."""
    if value is None or not math.isfinite(value):
        return NOT_REPORTED
    text = f"{value:,.{decimals}f}"
    if text.startswith("-") and not text.strip("-0.,"):
        return text[1:]  # -0.00 is zero
    return text


def yoy_change(current: float | None, previous: float | None, unit: str) -> float | None:
    """Change against the previous year: points for shares, a ratio otherwise.

    None when either year is missing, or the previous value is zero (no ratio exists).
    """
    if current is None or previous is None:
        return None
    if unit in POINT_UNITS:
        return current - previous
    if previous == 0:
        return None
    return (current - previous) / abs(previous)


def format_change(change: float | None, unit: str, lang: str) -> str:
    """``+10.8%`` or ``-1.20 pp``; a dash when there is nothing to compare."""
    if change is None or not math.isfinite(change):
        return NO_CHANGE
    if unit in POINT_UNITS:
        return f"{change:+.2f}{_POINTS.get(lang, ' pp')}"
    return f"{change * 100:+.1f}%"


def format_share(share: float) -> str:
    """An estimated share as a whole percent (``12%``)."""
    return f"{share * 100:.0f}%"
