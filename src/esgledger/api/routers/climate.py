"""Climate risks and opportunities (IFRS S2): the register, its heat map and the scenario
analysis.

Access: items belong to the entity they name first. A reporter reads the items of its own
entities and may write only items whose every entity is its own (another's reads as "not
found", as for observations); the scenario analysis works on group totals, so, as on
pathways, a reporter gets 403 there. Auditors read everything and write nothing.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query
from fastapi import Path as PathParam
from pydantic import BaseModel

from esgledger.api.deps import CurrentUser, SessionDep, Writer
from esgledger.api.errors import Forbidden
from esgledger.api.routers._state import CatalogDep, SettingsDep
from esgledger.api.schemas import error_responses
from esgledger.auth.roles import SEES_ALL
from esgledger.climate_risks.analysis import Analysis, latest_analysis
from esgledger.climate_risks.checks import effect_cny
from esgledger.climate_risks.register import StoredItem, retire_item
from esgledger.climate_risks.scales import load_scales
from esgledger.climate_risks.service import filtered_items, item_detail, save_item
from esgledger.climate_risks.summary import effects_of, heat_grid, heat_map
from esgledger.errors import NotFoundError
from esgledger.settings import targets_file

router = APIRouter(prefix="/climate", tags=["climate"], responses=error_responses(400, 404))
Key = Annotated[str, PathParam(max_length=60)]


class ItemOut(BaseModel):
    """An item as the register holds it now, with its version and effects in CNY."""

    key: str
    version: int
    author: str
    kind: str | None
    grade: str
    score: int
    fields: dict[str, Any]
    current_cny: tuple[float, float] | None
    anticipated_cny: tuple[float, float] | None
    derived_cny: tuple[float, float] | None


def _out(stored: StoredItem, analysis: Analysis | None = None) -> ItemOut:
    item, scales = stored.item, load_scales()
    effects = effects_of(stored, analysis)
    derived = effects.derived
    return ItemOut(
        key=item.key, version=stored.version, author=stored.author,
        kind=scales.kind_of(item.category), grade=scales.grade(item.score).id, score=item.score,
        fields=item.model_dump(mode="json"),
        current_cny=effect_cny(item.current_effect) if item.current_effect else None,
        anticipated_cny=effect_cny(item.anticipated_effect) if item.anticipated_effect else None,
        derived_cny=(derived.low_cny, derived.high_cny) if derived else None,
    )  # fmt: skip


def _scope(principal) -> frozenset[str] | None:
    return principal.entities


@router.get("/risks", response_model=list[ItemOut], summary="The register, filtered")
def list_items(
    principal: CurrentUser,
    session: SessionDep,
    kind: str | None = None,
    category: str | None = None,
    horizon: str | None = None,
    entity: str | None = None,
    grade: str | None = None,
) -> list[ItemOut]:
    chosen = {"kind": kind, "category": category, "horizon": horizon, "entity": entity,
              "grade": grade}  # fmt: skip
    analysis = latest_analysis(session)
    return [_out(s, analysis) for s in filtered_items(session, _scope(principal), chosen)]


@router.get("/risks/{key}", summary="One item with every version")
def get_one(key: Key, principal: CurrentUser, session: SessionDep) -> dict[str, Any]:
    detail = item_detail(session, key, _scope(principal))
    history = [
        {"version": v.version, "author": v.author, "recorded_at": v.recorded_at.isoformat(),
         "reason": v.reason, "retired": v.retired, "fields": v.payload}
        for v in detail.history
    ]  # fmt: skip
    derivation = detail.effects.derived
    return {
        "item": _out(detail.stored, latest_analysis(session)).model_dump(),
        "history": history,
        "derivation": derivation.model_dump() if derivation else None,
        "derivation_problem": detail.effects.derived_problem,
    }


@router.put("/risks/{key}", response_model=ItemOut, summary="Add or change an item")
def put_item(
    key: Key,
    principal: Writer,
    session: SessionDep,
    catalog: CatalogDep,
    settings: SettingsDep,
    fields: Annotated[dict[str, Any], Body()],
    expected_version: Annotated[int | None, Query(ge=0)] = None,
    reason: Annotated[str | None, Query(max_length=2000)] = None,
) -> ItemOut:
    """``expected_version``: the version you read (0 for a new item); a stale edit is 409."""
    targets = targets_file(settings.targets) if settings.targets else None
    stored = save_item(
        session, catalog, targets, {**fields, "key": key}, actor=principal.username,
        scope=_scope(principal), expected_version=expected_version, reason=reason,
    )  # fmt: skip
    return _out(stored, latest_analysis(session))


@router.delete("/risks/{key}", status_code=204, summary="Retire an item (history kept)")
def retire(
    key: Key, principal: Writer, session: SessionDep, reason: Annotated[str, Query(max_length=2000)]
) -> None:
    retire_item(session, key, actor=principal.username, scope=_scope(principal), reason=reason)


@router.get("/heatmap", summary="Items per likelihood x impact cell")
def heatmap(principal: CurrentUser, session: SessionDep) -> list[list[dict[str, Any]]]:
    grid = heat_grid(heat_map(session, _scope(principal)))
    return [
        [{**{k: v for k, v in cell.items() if k != "grade"}, "grade": cell["grade"].id}
         for cell in row]
        for row in grid
    ]  # fmt: skip


@router.get("/scenarios", response_model=Analysis, summary="The newest scenario analysis")
def scenarios(principal: CurrentUser, session: SessionDep) -> Analysis:
    if principal.role not in SEES_ALL:
        raise Forbidden.coded("access.climate_group_only")
    analysis = latest_analysis(session)
    if analysis is None:
        raise NotFoundError(
            "no scenario analysis has been run yet", code="climate_risks.no_results"
        )
    return analysis
