"""The scenario analysis in the browser: what each carbon-price scenario costs each pathway
by year (table and chart), the price scenarios with their sources, and the physical hazards
by site.

Group totals: like the pathways page, it is for the roles that see the whole group.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import altair as alt
import polars as pl
from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from esgledger.auth.roles import SEES_ALL
from esgledger.climate_risks.analysis import Analysis, latest_analysis
from esgledger.climate_risks.physical import EXPOSURE_ORDER, read_hazards
from esgledger.errors import NotFoundError
from esgledger.web import charts
from esgledger.web.render import Env, PageEnv

router = APIRouter()
STEP_YEARS = 5


@router.get("/climate/scenarios", response_class=HTMLResponse)
def scenarios_page(env: Env, pathway: str = "") -> HTMLResponse:
    """The newest run for one pathway (the first by default)."""
    if not env.can(frozenset(SEES_ALL)):
        raise NotFoundError.coded("page.climate_group_only")
    analysis = latest_analysis(env.session)
    hazards = read_hazards(env.session)
    if analysis is None:
        return env.render(
            "climate_scenarios.html", analysis=None, hazards=hazard_rows(env, hazards)
        )
    names = [p.name for p in analysis.pathways]
    chosen = pathway if pathway in names else names[0]
    frame = analysis.frame().filter(pl.col("pathway") == chosen)
    return env.render(
        "climate_scenarios.html",
        json_href="/api/v1/climate/scenarios",
        analysis=analysis,
        pathway=chosen,
        rows=table_rows(env, analysis, frame),
        prices=analysis.prices,
        chart=cost_chart(env, analysis, frame),
        hazards=hazard_rows(env, hazards),
    )


def table_rows(env: PageEnv, analysis: Analysis, frame: pl.DataFrame) -> list[dict[str, Any]]:
    """Every fifth year from the base year, each price scenario, costs in 10^4 CNY."""
    shown = frame.filter((pl.col("year") - analysis.base_year) % STEP_YEARS == 0)
    shown = shown.with_columns(
        (pl.col(c) / 10_000).alias(c)
        for c in ("carbon_cost_cny", "lever_cost_cny", "total_cost_cny")
    )
    return [
        {**row, "scenario": analysis.price(row["price_scenario"]).name(env.lang)}
        for row in shown.sort("year", "price_scenario").iter_rows(named=True)
    ]


def cost_chart(env: PageEnv, analysis: Analysis, frame: pl.DataFrame) -> str:
    """Total cost (carbon plus levers) by year, one line per price scenario (cached)."""
    rows = [
        {"year": r["year"], "scenario": analysis.price(r["price_scenario"]).name(env.lang),
         "value": r["total_cost_cny"] / 10_000}
        for r in frame.iter_rows(named=True)
    ]  # fmt: skip
    digest = hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest()
    title = env.t("climate.chart.y")

    def build() -> dict[str, str]:
        chart = (
            alt.Chart(alt.Data(values=rows))
            .mark_line(strokeWidth=2.2)
            .encode(
                x=alt.X("year:Q", title=None, axis=alt.Axis(format="d", tickCount=8)),
                y=alt.Y("value:Q", title=title, axis=alt.Axis(format=charts.VALUE_FORMAT)),
                color=alt.Color("scenario:N", title=None, legend=alt.Legend(orient="top")),
            )
            .properties(width=900, height=280)
        )
        return {"cost": charts.to_svg(charts.configured(chart), env.t("climate.chart.label"))}

    key = ("climate-scenarios", env.lang, digest)
    return env.request.app.state.chart_cache.get(key, build)["cost"]


def hazard_rows(env: PageEnv, hazards) -> dict[str, Any] | None:
    """The hazards table: a row per site the user may see, a column per hazard."""
    if hazards is None:
        return None
    names = list(hazards.hazards)
    sites = [
        {"site": env.code_label(site), "code": site,
         "levels": [levels.get(h) for h in names],
         "worst": max((EXPOSURE_ORDER[v] for v in levels.values()), default=0)}
        for site, levels in sorted(hazards.sites.items())
        if env.principal.may_see(site)
    ]  # fmt: skip
    return {"names": [hazards.hazards[h].name(env.lang) for h in names], "sites": sites,
            "source": hazards.source}  # fmt: skip
