"""Explain one computed value: its formula, parts, factors with citations, and the
observations it rests on, each linked to its history; children link one level down.

The tree is :func:`esgledger.engine.explain.explain` on the cached calculation run, the
same tree ``GET /api/v1/explain`` returns and ``esgledger explain`` prints.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from esgledger.engine.consolidate import GROUP
from esgledger.engine.explain import explain
from esgledger.errors import EsgError
from esgledger.evidence.links import EvidenceLink, evidence_for
from esgledger.web.access import visible_code, visible_entities
from esgledger.web.explain_text import factor_note, how_text, part_label
from esgledger.web.render import Env, PageEnv

router = APIRouter()
DEFAULT_INDICATOR = "ghg.scope1"


@router.get("/explain", response_class=HTMLResponse)
def explain_page(
    env: Env,
    indicator: str | None = None,
    code: str | None = None,
    period: str | None = None,
    depth: int = Query(default=2, ge=1, le=4),
) -> HTMLResponse:
    """Without a choice, the latest year's Scope 1 of the group (or of the user's entity)."""
    try:
        run = env.request.app.state.results.run(env.session)
    except EsgError as exc:
        return env.render("explain.html", json_href="/api/v1/explain", problem=str(exc))
    results = run.results[0]
    codes = code_choices(env, list(results.boundaries.grid.entities))
    indicator = indicator or DEFAULT_INDICATOR
    code = code or (codes[0] if codes else GROUP)
    period = period or (run.years[-1] if run.years else "")
    visible_code(env, code)
    tree = explain(results, indicator, code, period, depth).to_dict(env.lang)
    query = urlencode({"indicator": indicator, "code": code, "period": period})
    return env.render(
        "explain.html",
        json_href=f"/api/v1/explain?{query}",
        tree=tree,
        chosen={"indicator": indicator, "code": code, "period": period, "depth": depth},
        indicators=indicator_choices(env),
        codes=codes,
        years=run.years,
        link=explain_link,
        problem=None,
        how_text=how_text,
        part_label=part_label,
        factor_note=factor_note,
        evidence=tree_evidence(env, tree),
    )


def tree_evidence(env: PageEnv, tree: dict[str, Any]) -> dict[str, list[EvidenceLink]]:
    """The files behind each observation the tree shows ("code|period|indicator"), for the
    entities the user may see."""
    found: dict[str, list[EvidenceLink]] = {}
    stack = [tree]
    while stack:
        node = stack.pop()
        stack.extend(node.get("children", []))
        if node["code"] not in env.org or not env.principal.may_see(node["code"]):
            continue
        for observation in node.get("observations", []):
            where = (node["code"], observation["period"], node["indicator"])
            files = evidence_for(env.session, *where)
            if files:
                found["|".join(where)] = files
    return found


def code_choices(env: PageEnv, boundaries: list[str]) -> list[str]:
    """Boundaries (for those who see every entity), then the visible entities."""
    shown = boundaries if env.principal.entities is None else []
    return [*shown, *(e.code for e in visible_entities(env))]


def indicator_choices(env: PageEnv) -> list[tuple[str, str]]:
    """The computed indicators (the ones worth explaining), by name in the page language."""
    derived = sorted((env.indicator_name(i.id), i.id) for i in env.catalog.derived())
    return [(indicator_id, name) for name, indicator_id in derived]


def explain_link(node: dict[str, Any], **changes: Any) -> str:
    """The explain page of a node of the tree (its own indicator, code and period)."""
    values = {"indicator": node["indicator"], "code": node["code"], "period": node["period"]}
    return "/explain?" + urlencode({**values, **changes})
