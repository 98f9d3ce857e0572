"""Carbon assets under /api/v1/carbon-assets: movements, verified emissions, holdings, the
compliance gap per year, and the retirements fed to market-based Scope 2.

Reads answer the user's scope (a reporter: its own sites). Writes are checked whole by
:mod:`esgledger.carbon_assets` (known site, no outflow beyond holdings, no certificate or
green power claimed twice) and refused with a coded error (400) otherwise.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from esgledger.api.deps import CurrentUser, SessionDep, Writer
from esgledger.api.schemas import error_responses
from esgledger.carbon_assets.compliance import compliance_gap, holdings
from esgledger.carbon_assets.model import MovementIn, VerifiedIn
from esgledger.carbon_assets.register import (
    list_movements,
    list_verified,
    save_movements,
    save_verified,
)
from esgledger.carbon_assets.scope2_feed import feed_scope2
from esgledger.catalog import load_catalog
from esgledger.ledger.orgstore import load_org

router = APIRouter(prefix="/carbon-assets", tags=["carbon assets"], responses=error_responses(400))


class FeedIn(BaseModel):
    """Which year's retirements to write as Scope 2 inputs (None: every year)."""

    # strict: JSON true/false are not years (lax mode would read them as 1 and 0)
    year: int | None = Field(default=None, ge=1990, le=2100, strict=True)


@router.get("", summary="Movements, verified emissions, holdings and the compliance gap")
def overview(principal: CurrentUser, session: SessionDep) -> dict[str, Any]:
    movements = list_movements(session, principal)
    verified = list_verified(session, principal)
    return {
        "movements": [{"ref": r.key, "version": r.version, **r.payload} for r in movements],
        "verified": [r.payload for r in verified],
        "holdings": holdings(movements).to_dicts(),
        "compliance_gap": compliance_gap(movements, verified).to_dicts(),
    }


@router.post("/movements", summary="Record movements (all checked before any is written)",
             status_code=201)  # fmt: skip
def post_movements(
    body: list[MovementIn], principal: Writer, session: SessionDep
) -> dict[str, int]:
    codes = [entity.code for entity in load_org(session)]
    return {"written": save_movements(session, principal, body, codes)}


@router.post("/verified", summary="Record verified emissions per compliance year", status_code=201)
def post_verified(body: list[VerifiedIn], principal: Writer, session: SessionDep) -> dict[str, int]:
    codes = [entity.code for entity in load_org(session)]
    return {"written": save_verified(session, principal, body, codes)}


@router.post("/scope2-feed", summary="Write retired green electricity as draft observations")
def post_feed(
    body: FeedIn, request: Request, principal: Writer, session: SessionDep
) -> dict[str, Any]:
    catalog = getattr(request.app.state, "catalog", None) or load_catalog()
    months = feed_scope2(session, catalog, actor=principal.username, year=body.year)
    return {"months": [m.__dict__ | {"retirements": list(m.retirements)} for m in months]}
