"""The targets page: every commitment of the targets file, judged year by year.

The status comes from :func:`esgledger.targets.targets_status`, the function behind
``esgledger targets status`` and ``GET /api/v1/targets``; this module names things in the
page's language, lays the reports out as a table and draws one small trajectory chart per
target (cached, see :mod:`.charts`).

Targets are consolidations (group, segment, tag) or an entity with everything below it,
so, as for the group's figures, a reporter sees only targets whose every entity is its
own; with none, the page is "not found", as ``/explain?code=group`` is.
"""

from __future__ import annotations

import hashlib
import json
import textwrap
from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from esgledger.errors import EsgError, NotFoundError, Phrase, ValidationFailed
from esgledger.periods import Granularity, Period, PeriodError
from esgledger.targets import Status, TargetReport, TargetType, trajectory_series
from esgledger.web import charts, pathway_charts
from esgledger.web.plan_sources import load_target_file, status_of_targets, targets_path
from esgledger.web.render import Env, PageEnv

router = APIRouter()
STATUSES = tuple(s.value for s in Status)  # met, on_track, at_risk, missed, no_data
UNIT_SIGNS = {"permille": "‰", "percent": "%"}


@router.get("/targets", response_class=HTMLResponse)
def targets_page(env: Env, through: str | None = None) -> HTMLResponse:
    """Status, trajectory and required rate of every target; ``through`` (a month) judges
    that month's year on its run rate, which raises the early warnings."""
    through = run_rate_month(through)
    json_href = "/api/v1/targets" + (f"?through={through}" if through else "")
    try:
        targets = load_target_file(env)
    except EsgError as exc:
        return env.render("targets.html", json_href=json_href, **_problem(exc))
    shown = {t.id for t in targets.targets if scope_visible(env, t.scope)}
    if not shown:
        raise NotFoundError.coded("target.none_yours")
    try:
        status = status_of_targets(env, targets, through)
    except EsgError as exc:  # no organisation yet, or a factor the engine cannot find
        return env.render("targets.html", json_href=json_href, **_problem(exc))
    reports = [r for r in status.reports if r.target.id in shown]
    years = sorted({row.year for r in reports for row in r.years})
    rows = [target_row(env, r, years) for r in reports]
    counts = {s: sum(1 for r in rows if r["status"] == s) for s in STATUSES}
    return env.render(
        "targets.html",
        json_href=json_href,
        problem=None,
        status=status,
        years=years,
        rows=rows,
        counts={s: n for s, n in counts.items() if n},
        warnings=[w for r in reports if (w := warning_text(env, r, status.through))],
        chart=trajectory_svg(env, status.snapshot_hash, reports),
        source=targets_path(env).name,
        through=through,
        months=month_choices(status.years, through),
    )


def _problem(exc: EsgError) -> dict[str, Any]:
    problems = exc.problems if isinstance(exc, ValidationFailed) else []
    return {"problem": str(exc), "problems": [f"{p.location} {p.reason}" for p in problems]}


def run_rate_month(text: str | None) -> str | None:
    """The ``through`` month as ``2024-06``; an empty form field is no month.

    Raises:
        EsgError: the text is not a month (the page answers 400, as the API would).
    """
    text = (text or "").strip()
    if not text:
        return None
    try:
        period = Period.parse(text)
    except PeriodError as exc:
        detail = Phrase.of(exc.code, **exc.params) if exc.code else exc.message
        raise EsgError.coded("target.through", option="through", text=text, detail=detail) from None
    if period.granularity is not Granularity.MONTH:
        raise EsgError.coded("target.through_month", option="through", text=text, period=period)
    return f"{period.start.year}-{period.start.month:02d}"


def month_choices(years: list[int], through: str | None) -> list[str]:
    """Months to judge on the run rate: January to November of the latest year, newest
    first (December is the whole year), and the chosen month if it is another."""
    months = [f"{years[-1]}-{m:02d}" for m in range(11, 0, -1)] if years else []
    return months if through is None or through in months else [through, *months]


def scope_visible(env: PageEnv, scope: str) -> bool:
    """Whether every entity the scope adds up is the user's (an entity counts its subtree)."""
    if env.principal.entities is None:
        return True
    code = scope.removeprefix("subtree:")
    if code not in env.org:
        return False  # group, segment:..., tag:...: consolidations span entities
    below, stack = [], [code]
    while stack:
        current = stack.pop()
        below.append(current)
        stack.extend(child.code for child in env.org.children(current))
    return all(env.principal.may_see(c) for c in below)


def target_name(env: PageEnv, report: TargetReport) -> str:
    return report.target.name.zh if env.lang == "zh" else report.target.name.en


def unit_of(report: TargetReport) -> str:
    """The unit values are shown in: percent for a year-on-year target."""
    if report.target.type is TargetType.CHANGE_YOY:
        return "%"
    return UNIT_SIGNS.get(report.unit, report.unit)


def goal_text(env: PageEnv, report: TargetReport) -> str:
    """The commitment in a few words, in the page's language."""
    target, t = report.target, env.t
    value = f"{target.target_value:+g}"
    if target.type is TargetType.CHANGE_YOY:
        return t("targets.goal.yoy", value=value, year=target.target_year)
    if target.type is TargetType.CHANGE_VS_BASE:
        return t(
            "targets.goal.vs_base", value=value, base=target.base_year, year=target.target_year
        )
    if target.lower_is_better:
        sign = "<" if target.strict else "≤"
    else:
        sign = ">" if target.strict else "≥"
    level = f"{sign} {target.target_value:,.6g} {unit_of(report)}"
    return t("targets.goal.level", level=level, year=target.target_year)


def target_row(env: PageEnv, report: TargetReport, years: list[int]) -> dict[str, Any]:
    """One table row: the target, its goal, each year's value and the verdict."""
    by_year = {row.year: row for row in report.years}
    latest = report.latest
    status = latest.status.value if latest else Status.NO_DATA.value
    rate = report.required_rate_pct
    if status == Status.MET.value:
        rate = None  # nothing more is needed
    restated = report.restatement
    return {
        "id": report.target.id,
        "name": target_name(env, report),
        "scope": env.code_label(report.target.scope),
        "scope_code": report.target.scope,
        "goal": goal_text(env, report),
        "unit": unit_of(report),
        "cells": [by_year.get(year) for year in years],
        "latest": latest,
        "trajectory": latest.trajectory if latest else None,
        "required": rate,
        "status": status,
        "restated": (
            {"original": restated.original, "restated": restated.restated}
            if restated is not None and restated.applied
            else None
        ),
        "source": report.target.source,
        "flags": [
            env.t(f"targets.flag.{flag}")
            for flag in ("science_based", "regulatory")
            if getattr(report.target, flag)
        ],
    }


def warning_text(env: PageEnv, report: TargetReport, through: str | None) -> str | None:
    """The run-rate warning of a target in the page's language (None without one)."""
    row = report.latest
    if report.warning is None or row is None or not row.projected or through is None:
        return None
    on_path = row.status is Status.AT_RISK and row.trajectory is not None
    against = row.trajectory if on_path else row.threshold
    side = "above" if report.target.lower_is_better else "below"
    return env.t(
        "targets.warning",
        name=target_name(env, report),
        through=through,
        value=f"{row.value:,.4g}",
        unit=unit_of(report),
        year=row.year,
        side=env.t(f"targets.side.{side}"),
        what=env.t("targets.what.trajectory" if on_path else "targets.what.target"),
        against=f"{against:,.4g}",
        status=env.t(f"targets.status.{row.status.value}").lower(),
    )


def chart_rows(env: PageEnv, reports: list[TargetReport]) -> list[dict[str, Any]]:
    """Long rows of the small multiples: trajectory, target level and actuals per target."""
    series = _series(env)
    rows = []
    for order, report in enumerate(reports):
        points = trajectory_series(report)
        if not any(p.actual is not None for p in points):
            continue  # nothing reported: the table says "no data"
        panel = panel_title(env, report)
        for point in points:
            for name, value in zip(
                series, (point.trajectory, point.threshold, point.actual), strict=True
            ):
                if value is None:
                    continue
                row = {"panel": panel, "order": order, "year": point.year, "series": name}
                row["value"] = value
                if name == series[2] and point.status is not None:
                    row["status"] = point.status.value
                    row["projected"] = point.projected
                    row["status_label"] = env.t(f"targets.status.{point.status.value}")
                rows.append(row)
    return rows


def panel_title(env: PageEnv, report: TargetReport, width: int = 34) -> str:
    """The target's name on up to three lines (``|`` breaks), the unit after it."""
    width = width if env.lang == "en" else width // 2  # a CJK character is two wide
    lines = textwrap.wrap(target_name(env, report), width) or [""]
    unit = unit_of(report)
    if len(lines[-1]) + len(unit) + 3 <= width + 6:
        lines[-1] += f" · {unit}"
    else:
        lines.append(unit)
    return "|".join(lines)


def _series(env: PageEnv) -> list[str]:
    return [env.t("targets.series.trajectory"), env.t("targets.series.level"),
            env.t("targets.series.actual")]  # fmt: skip


def trajectory_svg(env: PageEnv, snapshot: str, reports: list[TargetReport]) -> str | None:
    """The small multiples as SVG, rendered once per snapshot, language and rows drawn."""
    rows = chart_rows(env, reports)
    if not rows:
        return None
    digest = hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest()
    statuses = {s: env.t(f"targets.status.{s}") for s in STATUSES}

    def build() -> dict[str, str]:
        chart = pathway_charts.trajectories_chart(rows, _series(env), statuses)
        return {"trajectories": charts.to_svg(chart, env.t("targets.chart"))}

    key = ("targets", snapshot, env.lang, digest)
    return env.request.app.state.chart_cache.get(key, build)["trajectories"]
