"""Which periods `esgledger calc` shows: the years, every month computed, or one period."""

from __future__ import annotations

from esgledger.calc.service import CalculationRun
from esgledger.errors import EsgError
from esgledger.periods import Granularity, Period


def check_period_choice(by: str, period: str | None, years: str | None) -> Period | None:
    """The one period ``--period`` shows (None: every year or month); refused before the
    snapshot is taken when it is not a year or a month, or comes with --by or --years."""
    if by not in ("year", "month"):
        raise EsgError.coded("command.calc.by", by=by)
    if period is None:
        return None
    if by != "year" or years:
        raise EsgError.coded("command.calc.period_alone")
    parsed = Period.parse(period)
    if parsed.granularity not in (Granularity.YEAR, Granularity.MONTH):
        raise EsgError.coded("command.calc.period_kind", period=period)
    return parsed


def shown_periods(run: CalculationRun, by: str, shown: Period | None) -> list[str]:
    """The columns of the group table: the years, the months computed, or one period."""
    if shown is None and by == "year":
        return list(run.years)
    if shown is not None and shown.granularity is Granularity.YEAR:
        return [str(shown)]
    if not run.months:
        raise EsgError.coded("command.calc.no_month", years=", ".join(run.years))
    if shown is None:
        return list(run.months)
    if str(shown) not in run.months:
        raise EsgError.coded(
            "command.calc.month_not_computed",
            period=shown,
            first=run.months[0],
            last=run.months[-1],
        )
    return [str(shown)]
