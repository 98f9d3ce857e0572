"""The pathways page: a scenario projected to 2060, its peak, gaps and abatement costs,
and every scenario of the folder side by side.

Projections come from :func:`esgledger.pathways.run_pathway` on the cached calculation
run (the results ``esgledger pathway run`` and ``GET /api/v1/scenarios/{name}/run`` use),
with a modest sample count so that a first view stays quick; each result is kept per
ledger version, scenario file and sample count (see :mod:`.plan_sources`).

A projection is of the whole group, so a reporter gets what it gets for the group's
figures elsewhere: "not found".
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from esgledger import pathways
from esgledger.engine.consolidate import GROUP
from esgledger.engine.results import Results
from esgledger.errors import EsgError
from esgledger.settings import NotConfigured
from esgledger.web import charts, pathway_charts
from esgledger.web.access import visible_code
from esgledger.web.plan_sources import (
    DEFAULT_SAMPLES,
    goals_for,
    load_target_file,
    pathway_of,
    scenario_file,
    scenario_files,
    scenarios_dir,
)
from esgledger.web.render import Env, PageEnv

router = APIRouter()
DEFAULT_SCENARIO = "business_as_usual"
TABLE_YEARS = (2025, 2030, 2035, 2040, 2045, 2050, 2055, 2060)
COMPARE_YEARS = (2030, 2040, 2050, 2060)
KINDS = ("efficiency", "fuel_switch", "process_change", "carbon_capture", "green_electricity")
_BOUGHT_GREEN = ("contracts", "certificates")


@router.get("/pathways", response_class=HTMLResponse)
def pathways_page(
    env: Env,
    scenario: str | None = None,
    samples: int = Query(default=DEFAULT_SAMPLES, ge=20, le=2000),
) -> HTMLResponse:
    """One scenario in full (default: business as usual) and all of them compared."""
    visible_code(env, GROUP)  # reporters: the group is not theirs
    try:
        names, unset = list(scenario_files(env)), None
    except NotConfigured as exc:  # no folder set: say so, rather than show anyone's scenarios
        names, unset = [], str(exc)
    if scenario is not None:
        scenario_file(env, scenario)  # an unknown name is "not found"
    chosen = scenario or default_scenario(names)
    page = {
        "names": names,
        "chosen": chosen,
        "samples": samples,
        "default_samples": DEFAULT_SAMPLES,
    }
    json_href = f"/api/v1/scenarios/{chosen}/run?samples={samples}" if chosen else None
    if chosen is None:
        problem = unset or env.t("pathways.no_scenarios", folder=str(scenarios_dir(env)))
        return env.render("pathways.html", json_href=json_href, problem=problem, **page)
    try:
        results = env.request.app.state.results.run(env.session).results[0]
    except EsgError as exc:  # no organisation yet, or a factor the engine cannot find
        return env.render("pathways.html", json_href=json_href, problem=str(exc), **page)
    goals, goal_problem, names_of = _goals(env, results)
    runs, failed = _run_all(env, names, results, goals, samples)
    if chosen not in runs:
        return env.render("pathways.html", json_href=json_href, problem=failed[chosen], **page)
    result = runs[chosen]
    titles = {name: scenario_title(env, name, run) for name, run in runs.items()}
    return env.render(
        "pathways.html",
        json_href=json_href,
        problem=None,
        **page,
        result=result,
        title=titles[chosen],
        description=scenario_description(env, chosen, result),
        titles=titles,
        failed=failed,
        kpis=kpis(result),
        years=year_rows(result),
        gaps=gap_rows(env, result, goals, names_of),
        goal_problem=goal_problem,
        mac=mac_rows(env, result),
        mac_note=result.scope2_basis == "location"
        and any(r.id in _BOUGHT_GREEN for r in result.mac),
        compare=compare_rows(env, runs),
        charts=chart_svgs(env, chosen, result, runs, titles),
    )


def default_scenario(names: list[str]) -> str | None:
    """Business as usual when the folder has it (the reference line), else the first."""
    if DEFAULT_SCENARIO in names:
        return DEFAULT_SCENARIO
    return names[0] if names else None


def _named(env: PageEnv, key: str, fallback: str) -> str:
    """The locale's text for ``key``, else the file's own text."""
    text = env.t(key)
    return fallback if text == key else text


def scenario_title(env: PageEnv, name: str, result: pathways.PathwayResult) -> str:
    return _named(env, f"pathways.scenario.{name}", result.title)


def scenario_description(env: PageEnv, name: str, result: pathways.PathwayResult) -> str:
    return _named(env, f"pathways.scenario_note.{name}", result.description)


def _row(result: pathways.PathwayResult, year: int) -> pathways.YearRow | None:
    return next((row for row in result.rows if row.year == year), None)


def kpis(result: pathways.PathwayResult) -> dict[str, Any]:
    """Headline figures: the base year, the peak, 2030 and the last year."""
    return {
        "base": result.rows[0],
        "peak": result.peak,
        "mid": _row(result, 2030),
        "end": result.rows[-1],
    }


def year_rows(result: pathways.PathwayResult) -> list[dict[str, Any]]:
    """The base year, every fifth year and the peak year, with the band."""
    wanted = {result.base_year, result.peak.year, result.end_year, *TABLE_YEARS}
    return [
        {"row": row, "peak": row.year == result.peak.year}
        for row in result.rows
        if row.year in wanted
    ]


def gap_rows(
    env: PageEnv,
    result: pathways.PathwayResult,
    goals: list[pathways.Goal],
    names: dict[str, str],
) -> list[dict[str, Any]]:
    """Each target the projection can speak to: its level, the projection and the gap."""
    by_id = {goal.id: goal for goal in goals}
    rows = []
    for gap in result.gaps:
        goal = by_id.get(gap.goal_id)
        yoy = goal is not None and goal.yoy
        unit = "%" if yoy else env.catalog.get(gap.indicator).unit
        rows.append(
            {
                "gap": gap,
                "name": names.get(gap.goal_id, gap.goal_id),
                "scope": env.code_label(gap.scope),
                "unit": pathway_unit(unit),
                "yoy": yoy,
            }
        )
    return rows


def pathway_unit(unit: str) -> str:
    return {"permille": "‰", "percent": "%"}.get(unit, unit)


def lever_name(env: PageEnv, row: pathways.MacRow) -> str:
    return _named(env, f"pathways.lever.{row.id}", row.name)


def mac_rows(env: PageEnv, result: pathways.PathwayResult) -> list[dict[str, Any]]:
    """The curve's bars, numbered as the chart numbers them; idle levers last, unnumbered."""
    rows, n = [], 0
    for row in result.mac:
        drawn = row.cost_per_t is not None
        n += drawn
        rows.append(
            {
                "n": n if drawn else None,
                "row": row,
                "name": lever_name(env, row),
                "kind": env.t(f"pathways.kind.{row.kind}"),
            }
        )
    return rows


def compare_rows(env: PageEnv, runs: dict[str, pathways.PathwayResult]) -> list[dict[str, Any]]:
    """Side by side: the peak, Scope 1+2 in chosen years (median, with the band), abatement."""
    t, results = env.t, list(runs.values())
    rows: list[dict[str, Any]] = [
        {"label": t("pathways.peak_year"), "cells": [(r.peak.year, None) for r in results],
         "key": "peak-year"},
        {"label": t("pathways.peak_value"), "cells": [(r.peak.value_t, None) for r in results]},
        {"label": t("pathways.peak_spread"),
         "cells": [(f"{r.peak.sample_year_p5}–{r.peak.sample_year_p95}", None) for r in results]},
    ]  # fmt: skip
    for year in COMPARE_YEARS:
        cells = []
        for result in results:
            row = _row(result, year)
            cells.append((None, None) if row is None else (row.total_p50_t, row))
        rows.append({"label": t("pathways.total_in", year=year), "cells": cells, "band": True})
    abated = [sum(m.abatement_t for m in r.mac if m.abatement_t > 0) for r in results]
    label = t("pathways.abated", year=results[0].mac_year) if results else ""
    rows.append({"label": label, "cells": [(value, None) for value in abated]})
    return rows


def _peak_mark(env: PageEnv, result: pathways.PathwayResult) -> dict[str, Any]:
    """The peak's label on the projection, on the side of the chart with more room."""
    peak = result.peak
    median = {b.year: b.p50 for b in result.band}
    late = peak.year > (result.base_year + result.end_year) / 2
    return {
        "year": peak.year,
        "value": median.get(peak.year, peak.value_t),
        "label": env.t("pathways.peak_label", year=peak.year, value=f"{peak.value_t:,.0f}"),
        "align": "right" if late else "left",
        "dx": -8 if late else 8,
    }


def _mac_bars(env: PageEnv, result: pathways.PathwayResult) -> list[dict[str, Any]]:
    """The MAC curve's bars: each lever's width is its abatement, stacked left to right."""
    return [
        {
            "n": row["n"],
            "start": row["row"].cumulative_t - row["row"].abatement_t,
            "end": row["row"].cumulative_t,
            "cost": row["row"].cost_per_t,
            "kind": row["row"].kind,
            "kind_label": row["kind"],
        }
        for row in mac_rows(env, result)
        if row["n"] is not None
    ]


def _comparison(
    runs: dict[str, pathways.PathwayResult], titles: dict[str, str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every scenario's median line and its peak, for the comparison chart."""
    lines = [
        {"scenario": titles[name], "year": b.year, "p50": b.p50}
        for name, run in runs.items()
        for b in run.band
    ]
    peaks = [
        {"scenario": titles[name], "year": run.peak.year,
         "p50": next(b.p50 for b in run.band if b.year == run.peak.year)}
        for name, run in runs.items()
    ]  # fmt: skip
    return lines, peaks


def _goals(
    env: PageEnv, results: Results
) -> tuple[list[pathways.Goal], str | None, dict[str, str]]:
    """The targets the pathways are measured against, the problem of a broken targets file
    (the page then shows the scenarios without gaps), and each target's name."""
    try:
        targets = load_target_file(env)
        goals = goals_for(targets, results)
    except EsgError as exc:
        return [], str(exc), {}
    names_of = {t.id: (t.name.zh if env.lang == "zh" else t.name.en) for t in targets.targets}
    return goals, None, names_of


def _run_all(
    env: PageEnv, names: list[str], results: Results, goals: list[pathways.Goal], samples: int
) -> tuple[dict[str, pathways.PathwayResult], dict[str, str]]:
    """Every scenario run; a scenario that fails is listed with its problem, not fatal."""
    runs, failed = {}, {}
    for name in names:
        try:
            runs[name] = pathway_of(env, name, results, goals, samples)
        except EsgError as exc:  # a broken file, or no whole year to start from
            failed[name] = str(exc)
    return runs, failed


def chart_svgs(
    env: PageEnv,
    chosen: str,
    result: pathways.PathwayResult,
    runs: dict[str, pathways.PathwayResult],
    titles: dict[str, str],
) -> dict[str, str]:
    """Projection, MAC curve and comparison as SVG, once per language and rows drawn."""
    t = env.t
    band = [b.model_dump(include={"year", "p5", "p50", "p95"}) for b in result.band]
    marked = _peak_mark(env, result)
    kinds = {k: t(f"pathways.kind.{k}") for k in KINDS}
    mac = _mac_bars(env, result)
    lines, peaks = _comparison(runs, titles)
    drawn = [band, marked, mac, lines, peaks, result.samples, result.mac_year]
    digest = hashlib.sha256(json.dumps(drawn, sort_keys=True).encode()).hexdigest()
    labels = {
        "band": t("pathways.band", samples=result.samples),
        "median": t("pathways.median"),
        "y": t("pathways.y_total"),
    }

    def build() -> dict[str, str]:
        made = {
            "band": charts.to_svg(
                pathway_charts.band_chart(band, marked, labels), t("pathways.projection")
            ),
            "compare": charts.to_svg(
                pathway_charts.compare_chart(lines, peaks, list(titles.values()), labels["y"]),
                t("pathways.compare"),
            ),
        }
        if mac:
            axes = {"x": t("pathways.mac_x", year=result.mac_year), "y": t("pathways.mac_y")}
            made["mac"] = charts.to_svg(
                pathway_charts.mac_chart(mac, kinds, axes), t("pathways.mac")
            )
        return made

    key = ("pathways", chosen, env.lang, digest)
    return env.request.app.state.chart_cache.get(key, build)
