"""The company's targets in the report: a progress table and the paths the charts draw.

Targets are data (a targets file, see docs/targets-and-pathways.md) judged by
``esgledger.targets`` on the same results as the tables, so a target's latest value is the
value the performance table prints. Without a targets file the report simply has no
targets table and the trend charts show history only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from esgledger.catalog.registry import Catalog
from esgledger.engine.results import Results
from esgledger.targets import TargetReport, TargetType, evaluate_targets, load_targets
from esgledger.targets.series import trajectory_series


@dataclass(frozen=True)
class Goal:
    """One target as the report shows it: what, how much, by when, and where it stands."""

    id: str
    names: dict[str, str]
    indicator: str
    scope: str
    kind: str  # TargetType value
    sign: str  # ≤ < ≥ > or "" for a percent change
    value: float
    unit: str
    target_year: int
    base_year: int | None
    latest_year: int | None
    latest_value: float | None
    status: str | None  # targets.Status value


def goals(path: Path | None, results: Results, catalog: Catalog) -> tuple[list[Goal], list[dict]]:
    """The targets of ``path`` judged on ``results``, and the chart rows of intensity caps."""
    if path is None:
        return [], []
    reports = evaluate_targets(load_targets(path, catalog), results)
    return [_goal(r) for r in reports], [row for r in reports for row in _paths(r)]


def _goal(report: TargetReport) -> Goal:
    target, latest = report.target, report.latest
    return Goal(
        id=target.id,
        names={"en": target.name.en, "zh": target.name.zh},
        indicator=target.indicator,
        scope=target.scope,
        kind=target.type.value,
        sign=_sign(report),
        value=target.target_value,
        unit="%" if target.is_change else report.unit,
        target_year=target.target_year,
        base_year=target.base_year,
        latest_year=latest.year if latest else None,
        latest_value=latest.value if latest else None,
        status=latest.status.value if latest else None,
    )


def _sign(report: TargetReport) -> str:
    target = report.target
    if target.is_change:
        return ""
    if target.lower_is_better:
        return "<" if target.strict else "≤"
    return ">" if target.strict else "≥"


def _paths(report: TargetReport) -> list[dict]:
    """Year rows (actual, trajectory, threshold) of an intensity cap, for the trend chart."""
    target = report.target
    if target.type is not TargetType.INTENSITY_CAP:
        return []
    return [
        {
            "target": target.id,
            "name_en": target.name.en,
            "name_zh": target.name.zh,
            "indicator": target.indicator,
            "scope": target.scope,
            "year": str(point.year),
            "actual": point.actual,
            "trajectory": point.trajectory,
            "threshold": point.threshold,
        }
        for point in trajectory_series(report)
    ]
