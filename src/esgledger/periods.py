"""Reporting periods: one type, half-open ``[start, end)``, parsed in one place.

The ledger stores a period as its text (``2024``, ``2024-03``, ``2024-Q1``); everything that
needs to compare, contain or roll periods up goes through :class:`Period`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import Enum

from esgledger.errors import EsgError


class PeriodError(EsgError):
    """Text that is not a period esgledger understands."""


class Granularity(Enum):
    YEAR = "year"
    QUARTER = "quarter"
    MONTH = "month"


MIN_YEAR, MAX_YEAR = 1900, 2200  # wide enough for history and for pathways to 2060
_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period ``[start, end)``.

    >>> Period.parse("2024").contains(Period.parse("2024-03"))
    True
    >>> str(Period.parse("2024-3"))
    '2024-03'
    >>> [str(p) for p in Period.parse("2024-Q2").months()]
    ['2024-04', '2024-05', '2024-06']
    """

    start: date
    end: date
    granularity: Granularity

    @classmethod
    def parse(cls, text: str | int) -> Period:
        """Read ``2024``, ``2024-03`` or ``2024-Q1``; anything else is a :class:`PeriodError`."""
        raw = str(text).strip()
        if raw.endswith(".0") and _YEAR.match(raw[:-2]):  # spreadsheets turn 2024 into 2024.0
            raw = raw[:-2]
        year_text = raw[:4]
        if year_text.isdigit() and not MIN_YEAR <= int(year_text) <= MAX_YEAR:
            raise PeriodError.coded("period.year_range", text=raw, first=MIN_YEAR, last=MAX_YEAR)
        if match := _YEAR.match(raw):
            year = int(match[1])
            return cls(date(year, 1, 1), date(year + 1, 1, 1), Granularity.YEAR)
        if match := _MONTH.match(raw):
            year, month = int(match[1]), int(match[2])
            if 1 <= month <= 12:
                return cls(date(year, month, 1), _next_month(year, month), Granularity.MONTH)
        if match := _QUARTER.match(raw):
            year, quarter = int(match[1]), int(match[2])
            first = 3 * (quarter - 1) + 1
            return cls(date(year, first, 1), _next_month(year, first + 2), Granularity.QUARTER)
        raise PeriodError.coded("period.unreadable", text=raw)

    @property
    def year(self) -> int:
        return self.start.year

    def contains(self, other: Period) -> bool:
        return self.start <= other.start and other.end <= self.end

    def months(self) -> list[Period]:
        """The calendar months this period covers, in order."""
        result, current = [], self.start
        while current < self.end:
            result.append(Period.parse(f"{current.year}-{current.month:02d}"))
            current = _next_month(current.year, current.month)
        return result

    def __str__(self) -> str:
        if self.granularity is Granularity.YEAR:
            return f"{self.year}"
        if self.granularity is Granularity.QUARTER:
            return f"{self.year}-Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.year}-{self.start.month:02d}"


def _next_month(year: int, month: int) -> date:
    return date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)


def parse_year_range(text: str) -> list[int]:
    """Read ``2022-2024`` or ``2022,2024`` or ``2024`` into a list of years.

    >>> parse_year_range("2022-2024")
    [2022, 2023, 2024]
    """
    text = text.strip()
    try:
        if re.fullmatch(r"\d{4}\s*-\s*\d{4}", text):
            first, last = (int(part) for part in text.split("-"))
            if first <= last:
                return list(range(first, last + 1))
        else:
            return sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError:
        pass  # falls through to the message below, which says what to write
    raise PeriodError.coded("period.year_list", text=text)
