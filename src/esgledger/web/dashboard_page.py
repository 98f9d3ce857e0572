"""The dashboard: energy mix, emissions by scope and entity, intensities, with their tables.

The figures come from :func:`esgledger.calc.dashboard.dashboard_data`, the same function
behind ``GET /api/v1/dashboard``; this module only names things in the page's language,
lays the figures out as tables and draws them (cached, see :mod:`.charts`).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from esgledger.calc.dashboard import SCOPES, TREND, dashboard_data, monthly_trend
from esgledger.engine.consolidate import GROUP
from esgledger.errors import EsgError
from esgledger.web import charts
from esgledger.web.render import Env, PageEnv, format_number

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def dashboard(env: Env, trend: str | None = None) -> HTMLResponse:
    """Reporters see their own entities; everyone else sees the group and every entity.

    ``trend`` chooses whose months the monthly trend shows (default: the group, or a
    reporter's first entity)."""
    try:
        run = env.request.app.state.results.run(env.session)
    except EsgError as exc:  # no organisation yet, or a factor the engine cannot find
        return env.render("dashboard.html", json_href="/api/v1/dashboard", problem=str(exc))
    data = dashboard_data(run, env.principal.entities)
    energy, emissions, intensities = (
        energy_view(env, data),
        emissions_view(env, data),
        intensity_view(env, data),
    )
    monthly = trend_view(env, data, _trend_rows(run, data, trend), trend)
    svgs = chart_svgs(env, data["snapshot_sha256"], energy, emissions, intensities, monthly)
    return env.render(
        "dashboard.html",
        json_href="/api/v1/dashboard",
        data=data,
        energy=energy,
        emissions=emissions,
        intensities=intensities,
        kpis=kpis(data, energy, emissions, intensities),
        monthly=monthly,
        charts=svgs,
        problem=None,
    )


def energy_view(env: PageEnv, data: dict[str, Any]) -> dict[str, Any]:
    """Carriers × years (tce), a total row, and the rows the stacked chart draws."""
    years, mix = data["years"], data["energy_mix"]
    carriers = list(dict.fromkeys(r["carrier"] for r in mix))
    by = {(r["carrier"], r["year"]): r["tce"] for r in mix}
    totals = [
        sum(by[c, y] for c in carriers if (c, y) in by) if any((c, y) in by for c in carriers)
        else None
        for y in years
    ]  # fmt: skip
    code = GROUP if env.principal.entities is None else _first_code(data)
    return {
        "code": code,
        "rows": [
            {"label": env.indicator_name(c), "values": [by.get((c, y)) for y in years]}
            for c in carriers
        ],
        "totals": totals,
        "chart": [
            {
                "year": r["year"],
                "carrier": env.indicator_name(r["carrier"]),
                "tce": r["tce"],
                "order": carriers.index(r["carrier"]),
            }
            for r in mix
        ],
    }


def _first_code(data: dict[str, Any]) -> str | None:
    return data["emissions"][0]["code"] if data["emissions"] else None


def emissions_view(env: PageEnv, data: dict[str, Any]) -> dict[str, Any]:
    """Entity rows × (year, scope) columns, and bars per entity (the group only in tiles)."""
    codes = list(dict.fromkeys(r["code"] for r in data["emissions"]))
    by = {(r["code"], r["year"], r["scope"]): r["value"] for r in data["emissions"]}
    rows = [
        {
            "code": code,
            "label": env.code_label(code),
            "cells": [(y, s, by.get((code, y, s))) for y in data["years"] for s in SCOPES],
        }
        for code in codes
    ]
    drawn = [c for c in codes if c != GROUP] or codes
    totals = _scope_totals(data["emissions"], [GROUP] if GROUP in codes else codes)
    chart = [
        {
            "entity": env.code_label(r["code"]),
            "year": r["year"],
            "scope": env.t(f"scope.{r['scope']}"),
            "value": r["value"],
            "order": SCOPES.index(r["scope"]),
        }
        for r in data["emissions"]
        if r["code"] in drawn and r["value"]
    ]
    return {
        "rows": rows,
        "chart": chart,
        "scopes": SCOPES,
        "labels": [env.t(f"scope.{s}") for s in SCOPES],
        "head": env.code_label(GROUP) if GROUP in codes else env.t("dash.your_entities"),
        "totals": [
            {"year": y, "scope": env.t(f"scope.{s}"), "value": v, "order": SCOPES.index(s)}
            for (y, s), v in totals.items()
        ],
        "total_rows": [
            (env.t(f"scope.{s}"), [totals.get((y, s)) for y in data["years"]]) for s in SCOPES
        ],
    }


def _scope_totals(emissions: list[dict], head: list[str]) -> dict[tuple[str, str], float]:
    """(year, scope) → tCO2e of the group, or summed over a reporter's entities."""
    totals: dict[tuple[str, str], float] = {}
    for r in emissions:
        if r["code"] in head and r["value"]:
            key = (r["year"], r["scope"])
            totals[key] = totals.get(key, 0.0) + r["value"]
    return totals


def intensity_view(env: PageEnv, data: dict[str, Any]) -> dict[str, Any]:
    """One row and one small chart per (indicator, boundary) series."""
    series: dict[tuple[str, str], dict[str, Any]] = {}
    for r in data["intensities"]:
        key = (r["indicator"], r["code"])
        if key not in series:
            series[key] = {
                "indicator": r["indicator"],
                "code": r["code"],
                "label": env.code_label(r["code"]),
                "name": env.indicator_name(r["indicator"]),
                "unit": r["unit"],
                "values": {},
            }
        series[key]["values"][r["year"]] = r["value"]
    rows = list(series.values())
    chart = [
        {
            "series": f"{s['label']} · {s['unit']}",
            "year": year,
            "value": value,
            "text": format_number(value),  # the table's text, so chart and table agree
            "order": n,
        }
        for n, s in enumerate(rows)
        for year, value in s["values"].items()
        if value is not None
    ]
    return {"rows": rows, "chart": chart}


def _trend_rows(run: Any, data: dict[str, Any], chosen: str | None) -> list[dict[str, Any]]:
    """The monthly rows of the dashboard data, and those of the chosen entity when the
    data hold only the group's (the API's body stays small: an entity's months are asked
    for one at a time)."""
    rows = data["monthly"]
    visible = {r["code"] for r in data["emissions"]}
    if chosen in visible and all(r["code"] != chosen for r in rows):
        rows = rows + monthly_trend(run, [chosen])
    return rows


def trend_view(
    env: PageEnv, data: dict[str, Any], rows: list[dict[str, Any]], chosen: str | None
) -> dict[str, Any]:
    """The months of one code (the group by default): a row per month with a value, a
    column per trend indicator, and the points the chart draws."""
    codes = list(dict.fromkeys(r["code"] for r in data["emissions"]))
    code = chosen if chosen in codes else next(iter(codes), None)
    indicators = list(TREND)
    by = {(r["period"], r["indicator"]): r["value"] for r in rows if r["code"] == code}
    months = [m for m in data["months"] if any((m, i) in by for i in indicators)]
    units = {r["indicator"]: r["unit"] for r in rows}
    columns = [
        {"indicator": i, "name": env.indicator_name(i), "unit": units.get(i, "")}
        for i in indicators
    ]
    return {
        "code": code,
        "label": env.code_label(code) if code else "",
        "codes": [(c, env.code_label(c)) for c in codes],
        "columns": columns,
        "rows": [{"period": m, "values": [by.get((m, i)) for i in indicators]} for m in months],
        "chart": [
            {
                "series": f"{c['name']} · {c['unit']}",
                "month": m,
                "value": by[(m, c["indicator"])],
                "order": n,
            }
            for n, c in enumerate(columns)
            for m in months
            if (m, c["indicator"]) in by
        ],
    }


def kpis(
    data: dict[str, Any], energy: dict[str, Any], emissions: dict[str, Any], intensities: dict
) -> list[dict[str, Any]]:
    """Headline figures of the latest year, each with its change against the year before."""
    years = data["years"]
    if not years:
        return []
    head = [r for r in emissions["rows"] if r["code"] == GROUP] or emissions["rows"]

    def scope_total(year: str, scopes: tuple[str, ...]) -> float | None:
        found = [v for r in head for (y, s, v) in r["cells"] if y == year and s in scopes]
        found = [v for v in found if v is not None]
        return sum(found) if found else None

    by_year = {
        "kpi.energy": [energy["totals"][years.index(y)] for y in years],
        "kpi.scope12": [scope_total(y, SCOPES[:2]) for y in years],
        "kpi.scope3": [scope_total(y, SCOPES[2:]) for y in years],
    }
    units = {"kpi.energy": "tce", "kpi.scope12": "tCO2e", "kpi.scope3": "tCO2e"}
    for s in intensities["rows"]:
        if s["code"] == GROUP and s["indicator"] == "ghg.intensity_per_treo":
            by_year["kpi.intensity"] = [s["values"].get(y) for y in years]
            units["kpi.intensity"] = s["unit"]
    return [
        {"key": key, "unit": units[key], "value": values[-1], "change": _change(values)}
        for key, values in by_year.items()
    ]


def _change(values: list[float | None]) -> float | None:
    if len(values) < 2 or values[-1] is None or not values[-2]:
        return None
    return (values[-1] - values[-2]) / abs(values[-2]) * 100


def chart_svgs(
    env: PageEnv,
    snapshot: str,
    energy: dict,
    emissions: dict,
    intensities: dict,
    monthly: dict | None = None,
) -> dict[str, str]:
    """The charts as SVG, rendered once per snapshot, language and rows drawn."""
    trend = monthly["chart"] if monthly else []
    drawn = [
        energy["chart"],
        emissions["chart"],
        emissions["totals"],
        intensities["chart"],
        trend,
    ]
    digest = hashlib.sha256(json.dumps(drawn, sort_keys=True).encode()).hexdigest()
    t = env.t

    def build() -> dict[str, str]:
        made = {}
        if energy["chart"]:
            chart = charts.energy_mix_chart(energy["chart"], "tce")
            made["energy"] = charts.to_svg(chart, t("dash.energy"))
        if emissions["totals"]:
            chart = charts.scope_totals_chart(emissions["totals"], emissions["labels"])
            made["scopes"] = charts.to_svg(chart, t("dash.scopes"))
        if emissions["chart"]:
            chart = charts.emissions_chart(emissions["chart"], emissions["labels"])
            made["emissions"] = charts.to_svg(chart, t("dash.emissions"))
        if intensities["chart"]:
            chart = charts.intensity_chart(intensities["chart"])
            made["intensities"] = charts.to_svg(chart, t("dash.intensities"))
        if trend:
            made["monthly"] = charts.to_svg(charts.monthly_trend_chart(trend), t("dash.monthly"))
        return made

    return env.request.app.state.chart_cache.get((snapshot, env.lang, digest), build)
