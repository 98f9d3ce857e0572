"""Early warning: the months of the current year so far, projected to the full year.

The engine computes the months on a monthly grid; the year to date is then rebuilt from
them the way the catalog builds the indicator: totals are summed, an intensity is the
ratio of the summed numerator and denominator (never an average of monthly ratios), a
rate takes its latest month. The projection scales by 12 / months to the power of how
the indicator grows with time: 1 for a total, 0 for an intensity of two totals (the
factors cancel), 0 for a rate.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from pydantic import BaseModel

from esgledger.catalog.registry import Catalog
from esgledger.engine.results import Results
from esgledger.units import conversion_factor


class RunRate(BaseModel):
    """The year to date and its projection to the whole year, in the indicator's unit."""

    year: int
    through_month: int
    year_to_date: float | None
    projected: float | None


def annualisation_power(catalog: Catalog, indicator: str) -> int:
    """How a value over part of a year scales to the whole year: 1 total, 0 intensity or rate.

    >>> from esgledger.catalog import load_catalog
    >>> catalog = load_catalog()
    >>> [annualisation_power(catalog, i) for i in ("energy.total", "ghg.intensity_per_treo")]
    [1, 0]
    """
    item = catalog.get(indicator)
    if item.ratio is not None:
        numerator = annualisation_power(catalog, item.ratio.numerator)
        return numerator - annualisation_power(catalog, item.ratio.denominator)
    return 1 if item.quantity_type == "flow" else 0


def year_to_date(
    monthly: Results, catalog: Catalog, indicator: str, code: str, months: Sequence[str]
) -> float:
    """The indicator over ``months`` together, rebuilt from the monthly results."""
    item = catalog.get(indicator)
    if item.ratio is not None:
        num, den = catalog.get(item.ratio.numerator), catalog.get(item.ratio.denominator)
        top = year_to_date(monthly, catalog, num.id, code, months)
        bottom = year_to_date(monthly, catalog, den.id, code, months)
        if math.isnan(top) or math.isnan(bottom) or bottom == 0:
            return float("nan")
        scale = item.ratio.scale * conversion_factor(f"({num.unit})/({den.unit})", item.unit)
        return top / bottom * scale
    values = [monthly.value(indicator, code, month) for month in months]
    reported = [value for value in values if not math.isnan(value)]
    if not reported:
        return float("nan")
    return sum(reported) if item.quantity_type == "flow" else reported[-1]


def run_rate(
    monthly: Results, catalog: Catalog, indicator: str, code: str, year: int, through_month: int
) -> RunRate:
    """January to ``through_month`` of ``year``, and that pace carried to December.

    Months the monthly grid does not hold count as unreported, so a grid that stops
    early is not mistaken for a low year.
    """
    held = set(monthly.boundaries.grid.periods)
    months = [f"{year}-{m:02d}" for m in range(1, through_month + 1) if f"{year}-{m:02d}" in held]
    so_far = year_to_date(monthly, catalog, indicator, code, months) if months else float("nan")
    if math.isnan(so_far):
        return RunRate(year=year, through_month=through_month, year_to_date=None, projected=None)
    factor = (12 / through_month) ** annualisation_power(catalog, indicator)
    return RunRate(
        year=year, through_month=through_month, year_to_date=so_far, projected=so_far * factor
    )
