"""The climate risk and opportunity register in the browser: the list with filters and the
heat map (likelihood x impact), and one item with its effects and its history.

Every figure comes from :mod:`esgledger.climate_risks` (the same calls as
``/api/v1/climate``); a reporter sees the items of its own entities.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from esgledger.climate_risks.analysis import Analysis, latest_analysis
from esgledger.climate_risks.register import StoredItem
from esgledger.climate_risks.scales import load_scales
from esgledger.climate_risks.service import filtered_items, item_detail
from esgledger.climate_risks.summary import Effects, effects_of, heat_grid, heat_map_of
from esgledger.web.access import tree_order
from esgledger.web.render import Env, PageEnv

router = APIRouter()


@router.get("/climate", response_class=HTMLResponse)
def register_page(
    env: Env,
    kind: str = "",
    category: str = "",
    horizon: str = "",
    entity: str = "",
    grade: str = "",
) -> HTMLResponse:
    """The register, filtered, beside its heat map."""
    chosen = {"kind": kind, "category": category, "horizon": horizon, "entity": entity,
              "grade": grade}  # fmt: skip
    items = filtered_items(env.session, env.principal.entities, chosen)
    analysis = latest_analysis(env.session)
    scales = load_scales()
    query = "&".join(f"{k}={v}" for k, v in chosen.items() if v)
    return env.render(
        "climate.html",
        json_href="/api/v1/climate/risks" + (f"?{query}" if query else ""),
        rows=[item_row(env, stored, effects_of(stored, analysis)) for stored in items],
        grid=heat_grid(heat_map_of(items)),
        chosen=chosen,
        scales=scales,
        entities=[e for e in tree_order(env.org) if env.principal.may_see(e.code)],
        may_edit=may_edit(env),
    )


def may_edit(env: PageEnv) -> bool:
    from esgledger.auth.roles import WRITERS

    return env.can(frozenset(WRITERS))


def money_range(pair: tuple[float, float] | None) -> str | None:
    """A CNY range as the page shows it, in 10^4 CNY (万元), the unit the report uses."""
    if pair is None:
        return None
    low, high = (value / 10_000 for value in pair)
    return f"{low:,.0f}" if low == high else f"{low:,.0f} – {high:,.0f}"


def item_row(env: PageEnv, stored: StoredItem, effects: Effects) -> dict[str, Any]:
    """One line of the register table."""
    item, scales = stored.item, load_scales()
    grade = scales.grade(item.score)
    derived = effects.derived
    return {
        "key": item.key,
        "title": item.title(env.lang),
        "category": scales.category(item.category).name(env.lang),
        "kind": scales.kind_of(item.category),
        "horizon": scales.horizons[item.horizon].name(env.lang),
        "likelihood": item.likelihood,
        "impact": item.impact,
        "grade": grade,
        "entities": [env.code_label(code) for code in item.entities],
        "current": money_range(effects.current),
        "anticipated": money_range(effects.anticipated),
        "derived": money_range((derived.low_cny, derived.high_cny)) if derived else None,
        "owner": item.owner,
    }


@router.get("/climate/item/{key}", response_class=HTMLResponse)
def item_page(env: Env, key: str) -> HTMLResponse:
    """One item: its fields in the page's language, its effects, how the derived one is
    computed, and every version."""
    detail = item_detail(env.session, key, env.principal.entities)
    analysis = latest_analysis(env.session)
    item, scales = detail.stored.item, load_scales()
    return env.render(
        "climate_item.html",
        json_href=f"/api/v1/climate/risks/{key}",
        item=item,
        version=detail.stored.version,
        row=item_row(env, detail.stored, detail.effects),
        effects=detail.effects,
        derivation=derivation_rows(env, detail.effects, analysis),
        history=list(reversed(detail.history)),
        scales=scales,
        may_edit=may_edit(env),
    )


def derivation_rows(
    env: PageEnv, effects: Effects, analysis: Analysis | None
) -> list[dict[str, Any]]:
    """Per price scenario: paid tonnes x price = carbon cost, plus the levers."""
    if effects.derived is None or analysis is None:
        return []
    rows = []
    for row in effects.derived.rows:
        price = analysis.price(row.price_scenario)
        rows.append({"scenario": price.name(env.lang), **row.model_dump()})
    return rows
