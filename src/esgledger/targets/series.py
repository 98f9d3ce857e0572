"""Chart data: a target's trajectory year by year with the actuals beside it."""

from __future__ import annotations

from pydantic import BaseModel

from esgledger.targets.evaluate import TargetReport, base_for
from esgledger.targets.model import Status, TargetType
from esgledger.targets.status import trajectory


class SeriesPoint(BaseModel):
    """One year of a target chart: the path, the threshold and the actual (if any)."""

    year: int
    trajectory: float | None
    threshold: float | None
    actual: float | None
    status: Status | None
    projected: bool = False


def trajectory_series(report: TargetReport) -> list[SeriesPoint]:
    """Every year from the base year (or the first actual) to the target year and beyond
    the last actual, so that a chart draws the path as a line and the actuals as points.

    For a year-on-year target the values are percent changes.
    """
    target = report.target
    by_year = {row.year: row for row in report.years}
    first = target.base_year if target.base_year is not None else min(by_year, default=None)
    if first is None:
        first = target.target_year
    last = max([target.target_year, *by_year])
    points = []
    for year in range(first, last + 1):
        row = by_year.get(year)
        path = trajectory(target, base_for(report, year), year)
        if target.type is not TargetType.CHANGE_YOY and target.base_year is None:
            path = None
        points.append(
            SeriesPoint(
                year=year,
                trajectory=path,
                threshold=report.threshold,
                actual=row.value if row else None,
                status=row.status if row else None,
                projected=row.projected if row else False,
            )
        )
    return points
