"""The supplier register, questionnaire links, classes and supplier data for Scope 3 under
/api/v1/suppliers.

Group managers and admins manage suppliers and send questionnaires; the auditor reads;
reporters do not see the register (it is the group's). Writes are checked whole by
:mod:`esgledger.suppliers` and refused with a coded error, nothing written.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from fastapi import APIRouter, Request
from pydantic import Field

from esgledger.api.deps import CurrentUser, Reviewer, SessionDep
from esgledger.api.errors import Forbidden
from esgledger.api.schemas import error_responses
from esgledger.auth.roles import SEES_ALL
from esgledger.auth.service import Principal
from esgledger.inputs import InputModel
from esgledger.ledger.orgstore import load_org
from esgledger.settings import link_key
from esgledger.suppliers.questionnaires import issue_questionnaire
from esgledger.suppliers.register import get_supplier, parse_supplier, save_suppliers
from esgledger.suppliers.scope3 import delivery_frame, feed_scope3
from esgledger.suppliers.summary import overview

router = APIRouter(prefix="/suppliers", tags=["suppliers"], responses=error_responses(400, 404))
LINK_DAYS = 30


class SupplierIn(InputModel):
    """A supplier as the register keeps it; ``version`` is the one edited (0: new)."""

    code: str = Field(max_length=40)
    name_zh: str = Field(default="", max_length=200)
    name_en: str = Field(default="", max_length=200)
    credit_code: str = Field(default="", max_length=18)
    category: str
    region: str = Field(default="", max_length=100)
    material: str = Field(default="", max_length=200)
    spend: float = 0
    status: str
    entity: str
    email: str = Field(default="", max_length=200)
    version: int | None = None


class LinkIn(InputModel):
    kind: Literal["admission", "evaluation", "footprint", "spend"]
    year: int = Field(ge=2000, le=2100)
    lang: Literal["zh", "en"] = "zh"


def _seeing(principal: Principal) -> None:
    if principal.role not in SEES_ALL:
        raise Forbidden.coded("page.suppliers_forbidden")


def _row(row: Any) -> dict[str, Any]:
    e = row.evaluation
    return {
        **row.supplier.payload(), "version": row.version,
        "admission_score": row.admission_score, "admission_decision": row.decision,
        "evaluation_score": e.score if e else None, "class": e.cls if e else None,
        "previous_class": e.previous_cls if e else None, "movement": e.movement if e else None,
    }  # fmt: skip


@router.get("", summary="The register with admission decisions and this year's classes")
def list_all(principal: CurrentUser, session: SessionDep, year: int | None = None) -> list[dict]:
    _seeing(principal)
    return [_row(r) for r in overview(session, year or datetime.now(UTC).year - 1)]


@router.post("", summary="Add or change suppliers (all or none)", status_code=201)
def post_suppliers(body: list[SupplierIn], principal: Reviewer, session: SessionDep) -> dict:
    codes = [entity.code for entity in load_org(session)]
    suppliers = [parse_supplier(item.model_dump(), codes) for item in body]
    versions = {i.code: i.version for i in body if i.version is not None}
    save_suppliers(session, suppliers, actor=principal.username, versions=versions)
    return {"written": len(suppliers)}


@router.get("/classes/{year}", summary="Scores, decisions, classes and movement of a year")
def classes(year: int, principal: CurrentUser, session: SessionDep) -> list[dict]:
    _seeing(principal)
    return [_row(r) for r in overview(session, year)]


@router.get("/scope3/{year}", summary="Deliveries of a year and how each counts in category 1")
def scope3(year: int, principal: CurrentUser, session: SessionDep) -> list[dict]:
    _seeing(principal)
    return delivery_frame(session, year).to_dicts()


@router.post("/scope3/{year}", summary="Write supplier-specific figures as draft values")
def feed(year: int, request: Request, principal: Reviewer, session: SessionDep) -> list[dict]:
    figures = feed_scope3(
        session, year, actor=principal.username, catalog=request.app.state.catalog
    )
    return [{"entity": f.entity, "tco2e": f.tco2e, "covered_spend": f.covered_spend}
            for f in figures]  # fmt: skip


@router.get("/{code}", summary="One supplier")
def one(code: str, principal: CurrentUser, session: SessionDep) -> dict:
    _seeing(principal)
    supplier, version = get_supplier(session, code)
    return {**supplier.payload(), "version": version}


@router.post("/{code}/links", summary="A questionnaire link for the supplier", status_code=201)
def link(
    code: str, body: LinkIn, request: Request, principal: Reviewer, session: SessionDep
) -> dict:
    token, claims = issue_questionnaire(
        session, link_key(request.app.state.settings), supplier=code, kind=body.kind,
        year=body.year, lang=body.lang, valid_for=timedelta(days=LINK_DAYS),
        now=datetime.now(UTC), actor=principal.username,
    )  # fmt: skip
    base = str(request.base_url).rstrip("/")
    return {"url": f"{base}/q/{token}", "expires": claims.expires.isoformat()}
