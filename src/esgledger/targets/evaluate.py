"""A target's whole report from the engine's results: base, restatement, status by year,
required rate and run-rate warning. This is the data the CLI, the API and the report show.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel

from esgledger.catalog.registry import Catalog
from esgledger.engine.results import Results
from esgledger.targets import figures
from esgledger.targets.model import Status, Target, TargetFile, TargetType
from esgledger.targets.restate import Restatement, not_restated, restate
from esgledger.targets.runrate import RunRate, run_rate
from esgledger.targets.status import (
    YearStatus,
    assess,
    required_rate_pct,
    threshold,
    year_status,
)

_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


class TargetReport(BaseModel):
    """Everything known about one target; ``base_value`` is the base the status uses."""

    target: Target
    unit: str
    restatement: Restatement | None
    base_value: float | None
    restated_from: int | None = None
    threshold: float | None
    years: list[YearStatus]
    latest: YearStatus | None
    required_rate_pct: float | None
    run_rate: RunRate | None = None
    warning: str | None = None


def evaluate_targets(
    targets: TargetFile,
    results: Results,
    *,
    monthly: Results | None = None,
    through: tuple[int, int] | None = None,
) -> list[TargetReport]:
    """Reports for every target of the file, in file order.

    Args:
        results: yearly results of every ledger year (the engine's yearly grid).
        monthly: monthly results of the run-rate year, needed with ``through``.
        through: (year, month) to judge ``year`` on its run rate to that month; yearly
            figures of that year and later are then left out, as not yet known.
    """
    changes = figures.structural_changes(results, targets)
    return [
        evaluate_target(target, results, targets, changes, monthly=monthly, through=through)
        for target in targets.targets
    ]


def evaluate_target(
    target: Target,
    results: Results,
    targets: TargetFile,
    changes: Sequence[figures.Change],
    *,
    monthly: Results | None = None,
    through: tuple[int, int] | None = None,
) -> TargetReport:
    """The report of one target (see :func:`evaluate_targets`)."""
    known = figures.actuals(results, target.indicator, target.scope)
    if through is not None:
        known = {year: value for year, value in known.items() if year < through[0]}
    restatement = _restatement(target, results, targets, changes, known)
    base = _base(target, known, restatement)
    original = restatement.original if restatement is not None else base
    since = _restated_from(restatement)
    computed = [y for y in figures.computed_years(results) if through is None or y < through[0]]
    restated = (since, base) if since is not None else None
    years = assess(target, known, original, years=computed, restated=restated)
    report = TargetReport(
        target=target,
        unit=target.unit or results.catalog.get(target.indicator).unit,
        restatement=restatement,
        base_value=base,
        restated_from=since,
        threshold=threshold(target, base),
        years=years,
        latest=_latest(years),
        required_rate_pct=_required(target, years, base),
    )
    if through is not None and monthly is not None:
        return _with_run_rate(report, monthly, known, through)
    return report


def _base(target: Target, known: dict[int, float], restatement: Restatement | None) -> float | None:
    if restatement is not None:
        return restatement.effective
    if target.base_value is not None:
        return target.base_value
    return known.get(target.base_year) if target.base_year is not None else None


def _restatement(
    target: Target,
    results: Results,
    targets: TargetFile,
    changes: Sequence[figures.Change],
    known: dict[int, float],
) -> Restatement | None:
    """The policy of ``restate.py`` applied to one target (None without a base year)."""
    if target.base_year is None:
        return None
    year, limit = target.base_year, targets.policy.threshold_pct
    if target.base_value is not None:
        reason = "base value declared in the file: restate it there when the group changes"
        return not_restated(year, target.base_value, reason, limit)
    original = known.get(year)
    if original is None:
        return not_restated(year, None, f"nothing reported for the base year {year}", limit)
    if target.type is TargetType.CHANGE_YOY:
        reason = "year-on-year targets compare consecutive years"
        return not_restated(year, original, reason, limit)
    parts = _parts(results.catalog, target.indicator)
    if parts is None:
        return not_restated(year, original, "a rate is not restated", limit)
    numerator, denominator, scale = parts
    code = figures.scope_code(results, target.scope)
    effects = [
        effect
        for change in changes
        if (effect := figures.change_effect(results, change, target.scope, parts[:2], year))
    ]
    scope_den = None if denominator is None else results.value(denominator, code, str(year))
    scope_num = results.value(numerator, code, str(year))
    return restate(year, scope_num, scope_den, scale, effects, limit)


def _parts(catalog: Catalog, indicator: str) -> tuple[str, str | None, float] | None:
    """(numerator, denominator, scale) of an intensity, (total, None, 1) of a total."""
    ratio = figures.ratio_parts(catalog, indicator)
    if ratio is not None:
        return ratio
    if catalog.get(indicator).quantity_type == "flow":
        return indicator, None, 1.0
    return None


def describe_goal(report: TargetReport) -> str:
    """The target in a few words, e.g. ``<= 2.956 tCO2e/tREO in 2025`` or ``-6% a year``."""
    target = report.target
    if target.type is TargetType.CHANGE_YOY:
        return f"{target.target_value:+g}% a year to {target.target_year}"
    if target.type is TargetType.CHANGE_VS_BASE:
        return f"{target.target_value:+g}% vs {target.base_year} by {target.target_year}"
    sign = (
        ("<" if target.strict else "<=")
        if target.lower_is_better
        else (">" if target.strict else ">=")
    )
    return f"{sign} {target.target_value:,.6g} {report.unit} in {target.target_year}"


def goal_fields(report: TargetReport) -> dict[str, Any] | None:
    """What a projection needs to measure its gap to this target, as plain data (the
    fields of ``esgledger.pathways.Goal``); None when the target has no threshold yet."""
    target = report.target
    if report.threshold is None:
        return None
    return {
        **target.model_dump(include={"id", "indicator", "scope", "strict"}),
        "year": target.target_year,
        "threshold": report.threshold,
        "lower_is_better": target.lower_is_better,
        "yoy": target.type is TargetType.CHANGE_YOY,
    }


def _restated_from(restatement: Restatement | None) -> int | None:
    if restatement is None or not restatement.applied:
        return None
    return min(change.year for change in restatement.changes)


def base_for(report: TargetReport, year: int) -> float | None:
    """The base a year is judged from: restated from the change's year on, else original."""
    if report.restated_from is not None and year >= report.restated_from:
        return report.base_value
    return report.restatement.original if report.restatement else report.base_value


def _latest(years: list[YearStatus]) -> YearStatus | None:
    return next((y for y in reversed(years) if y.status is not Status.NO_DATA), None)


def _required(target: Target, years: list[YearStatus], base: float | None) -> float | None:
    latest = _latest(years)
    if latest is None or target.type is TargetType.CHANGE_YOY:
        return None
    return required_rate_pct(latest.year, latest.value, threshold(target, base), target.target_year)


def _with_run_rate(
    report: TargetReport, monthly: Results, known: dict[int, float], through: tuple[int, int]
) -> TargetReport:
    target, (year, month) = report.target, through
    code = figures.scope_code(monthly, target.scope)
    rate = run_rate(monthly, monthly.catalog, target.indicator, code, year, month)
    value = rate.projected
    if target.type is TargetType.CHANGE_YOY and value is not None:
        before = known.get(year - 1)
        value = None if not before else (value / before - 1) * 100
    if value is None or (value is not None and math.isnan(value)):
        return report.model_copy(update={"run_rate": rate})
    row = year_status(target, year, value, base_for(report, year)).model_copy(
        update={"projected": True}
    )
    warning = (
        _warning(report, row, month) if row.status in (Status.AT_RISK, Status.MISSED) else None
    )
    years = [*report.years, row]
    update = {"run_rate": rate, "years": years, "latest": _latest(years), "warning": warning}
    return report.model_copy(update=update)


def _warning(report: TargetReport, row: YearStatus, month: int) -> str:
    target = report.target
    unit = "%" if target.type is TargetType.CHANGE_YOY else report.unit
    span = f"Jan-{_MONTHS[month - 1]} {row.year}" if month > 1 else f"Jan {row.year}"
    on_path = row.status is Status.AT_RISK and row.trajectory is not None
    against = row.trajectory if on_path else row.threshold
    what = "trajectory" if on_path else "target"
    side = "above" if target.lower_is_better else "below"
    return (
        f"{target.id}: the {span} run rate projects {row.value:,.4g} {unit} for {row.year}, "
        f"{side} the {what} of {against:,.4g} {unit} ({row.status.value.replace('_', ' ')})"
    )
