"""What a projection says, as plain data: rows by year, the peak, gaps to targets, bands.

These models are what the CLI prints and what an API or a chart receives; they hold
numbers and labels only, no arrays.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from pydantic import BaseModel

from esgledger.catalog.registry import Catalog
from esgledger.pathways.project import Projection, indicator_series


class YearRow(BaseModel):
    """One year of the group: central values and the band of total emissions."""

    year: int
    actual: bool
    energy_tce: float
    scope1_t: float
    scope2_location_t: float
    scope2_market_t: float
    total_t: float
    intensity_t_per_treo: float | None
    total_p5_t: float
    total_p50_t: float
    total_p95_t: float


class Peak(BaseModel):
    """The year total emissions are highest (central case), and where samples put it."""

    year: int
    value_t: float
    in_base_year: bool
    before_end: bool
    sample_year_p5: int
    sample_year_p50: int
    sample_year_p95: int


class Goal(BaseModel):
    """A target as a projection needs it: a level (or a yearly % change) in a year."""

    id: str
    indicator: str
    scope: str
    year: int
    threshold: float
    lower_is_better: bool = True
    strict: bool = False
    yoy: bool = False


class Gap(BaseModel):
    """How far the projection lands from a goal (positive gap: short of it)."""

    goal_id: str
    indicator: str
    scope: str
    year: int
    threshold: float
    central: float | None
    p5: float | None
    p95: float | None
    gap: float | None
    met: bool | None
    probability_met: float | None
    note: str = ""


class BandPoint(BaseModel):
    """One year of a chart band."""

    year: int
    central: float
    p5: float
    p50: float
    p95: float


def find_peak(years: np.ndarray, rows: np.ndarray, samples: int) -> Peak:
    """Peak of row 0 (central) and the spread of peak years over rows 1.. (the samples).

    A plateau peaks in its first year; a series still rising in the last year has not
    peaked before the end (``before_end`` is False).
    """
    position = int(np.argmax(rows[0]))
    drawn = rows[1:] if samples else rows[:1]
    sample_years = years[np.argmax(drawn, axis=1)]
    p5, p50, p95 = np.percentile(sample_years, [5, 50, 95], method="nearest")
    return Peak(
        year=int(years[position]),
        value_t=float(rows[0, position]),
        in_base_year=position == 0,
        before_end=position < len(years) - 1,
        sample_year_p5=int(p5),
        sample_year_p50=int(p50),
        sample_year_p95=int(p95),
    )


def year_rows(projection: Projection, catalog: Catalog) -> list[YearRow]:
    """The group, year by year (the first year is the ledger's actual)."""
    intensity = indicator_series(projection, catalog, "ghg.intensity_per_treo", "group")
    band = projection.band("total")
    rows = []
    for t, year in enumerate(projection.years):
        value = None if intensity is None else float(intensity[0, t])
        rows.append(
            YearRow(
                year=int(year),
                actual=t == 0,
                energy_tce=float(projection.central("energy")[t]),
                scope1_t=float(projection.central("scope1")[t]),
                scope2_location_t=float(projection.central("scope2_location")[t]),
                scope2_market_t=float(projection.central("scope2_market")[t]),
                total_t=float(projection.central("total")[t]),
                intensity_t_per_treo=None if value is None or np.isnan(value) else value,
                total_p5_t=float(band[0, t]),
                total_p50_t=float(band[1, t]),
                total_p95_t=float(band[2, t]),
            )
        )
    return rows


def gaps(projection: Projection, catalog: Catalog, goals: Sequence[Goal]) -> list[Gap]:
    """The projected value of each goal's indicator and scope in its year, against it."""
    return [_gap(projection, catalog, goal) for goal in goals]


def _gap(projection: Projection, catalog: Catalog, goal: Goal) -> Gap:
    empty = dict(central=None, p5=None, p95=None, gap=None, met=None, probability_met=None)
    head = goal.model_dump(include={"indicator", "scope", "year", "threshold"})
    if goal.year not in projection.years[1:]:
        note = f"{goal.year} is not a projected year ({projection.years[1]}-{projection.years[-1]})"
        return Gap(goal_id=goal.id, **head, **empty, note=note)
    rows = indicator_series(projection, catalog, goal.indicator, goal.scope)
    if rows is None:
        note = f"{goal.indicator} for {goal.scope} is not projected by the pathway model"
        return Gap(goal_id=goal.id, **head, **empty, note=note)
    t = int(np.searchsorted(projection.years, goal.year))
    values = (rows[:, t] / rows[:, t - 1] - 1) * 100 if goal.yoy else rows[:, t]
    drawn = values[1:] if projection.samples else values[:1]
    ok = _meets(drawn, goal)
    central = float(values[0])
    return Gap(
        goal_id=goal.id,
        **head,
        central=central,
        p5=float(np.percentile(drawn, 5)),
        p95=float(np.percentile(drawn, 95)),
        gap=central - goal.threshold if goal.lower_is_better else goal.threshold - central,
        met=bool(_meets(np.array([central]), goal)[0]),
        probability_met=float(ok.mean()),
    )


def _meets(values: np.ndarray, goal: Goal) -> np.ndarray:
    close = np.isclose(values, goal.threshold, rtol=1e-9, atol=1e-12)
    better = values < goal.threshold if goal.lower_is_better else values > goal.threshold
    return better | (close & (not goal.strict))


def band_series(
    projection: Projection, quantity: str = "total", scope: str = "group"
) -> list[BandPoint]:
    """Chart data: the central line with its p5/p50/p95 band, year by year."""
    band, central = projection.band(quantity, scope), projection.central(quantity, scope)
    return [
        BandPoint(
            year=int(year),
            central=float(central[t]),
            p5=float(band[0, t]),
            p50=float(band[1, t]),
            p95=float(band[2, t]),
        )
        for t, year in enumerate(projection.years)
    ]
