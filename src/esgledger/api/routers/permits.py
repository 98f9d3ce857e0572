"""Environmental permits and discharges under /api/v1/permits.

Reads answer the user's scope (a reporter: its own sites); writes are validated by
:mod:`esgledger.permits` before anything is written and refused with a coded error (4xx)
otherwise. Recording results opens exceedances for those over their limits; an exceedance
moves one step at a time (cause, correct, close).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi import Path as PathParam
from pydantic import BaseModel, Field

from esgledger.api.deps import CurrentUser, SessionDep, Writer
from esgledger.api.schemas import RecordOut, UtcDateTime, error_responses
from esgledger.inputs import InputModel
from esgledger.ledger.orgstore import load_org
from esgledger.permits import discharge_summary, expiring_permits
from esgledger.permits.history import permit_history
from esgledger.permits.model import OutletIn, PermitIn, ResultIn
from esgledger.permits.register import list_outlets, list_permits, save_outlets, save_permits
from esgledger.permits.results import advance_exceedance, list_exceedances, record_results

router = APIRouter(prefix="/permits", tags=["permits"], responses=error_responses(400, 404))


Reason = Annotated[str | None, Query(max_length=500, description="Why: a renewal, a new limit")]


class StepIn(InputModel):
    """The next step of an exceedance, with the version read (a stale step is refused)."""

    step: Literal["cause", "correct", "close"]
    text: str = Field(default="", max_length=2000)
    version: int | None = None


@router.get("", summary="Permits and their outlets")
def permits(principal: CurrentUser, session: SessionDep) -> dict[str, list[RecordOut]]:
    return {
        "permits": [RecordOut.of(r) for r in list_permits(session, principal)],
        "outlets": [RecordOut.of(r) for r in list_outlets(session, principal)],
    }


class FieldChangeOut(BaseModel):
    field: str
    before: Any
    after: Any


class VersionChangeOut(BaseModel):
    """One version of the permit (subject "permit") or of an outlet (its code)."""

    subject: str
    version: int
    retired: bool
    author: str
    recorded_at: UtcDateTime
    reason: str | None
    changes: list[FieldChangeOut]


class PermitHistoryOut(BaseModel):
    permit: RecordOut
    outlets: list[RecordOut]
    changes: list[VersionChangeOut]


@router.get("/{number}/history", summary="A permit's history and what each version changed")
def history(
    number: Annotated[str, PathParam(max_length=60)], principal: CurrentUser, session: SessionDep
) -> PermitHistoryOut:
    """Every version of the permit and of its outlets, oldest first; an outlet's limits
    compared pollutant by pollutant (fields ``limits.<pollutant>``)."""
    found = permit_history(session, principal, number)
    changes = [
        VersionChangeOut(
            subject=c.subject, version=c.version.version, retired=c.version.retired,
            author=c.version.author, recorded_at=c.version.recorded_at,
            reason=c.version.reason,
            changes=[FieldChangeOut(field=f.field, before=f.before, after=f.after)
                     for f in c.changes],
        )
        for c in found.changes
    ]  # fmt: skip
    return PermitHistoryOut(
        permit=RecordOut.of(found.permit),
        outlets=[RecordOut.of(o) for o in found.outlets],
        changes=changes,
    )


@router.post("", summary="Record or change permits", status_code=201)
def post_permits(
    body: list[PermitIn], principal: Writer, session: SessionDep, reason: Reason = None
) -> dict[str, int]:
    """Permits that changed get a new version (with ``reason`` in their history)."""
    codes = [entity.code for entity in load_org(session)]
    return {"written": save_permits(session, principal, body, codes, reason=reason)}


@router.post("/outlets", summary="Record or change outlets and their limits", status_code=201)
def post_outlets(
    body: list[OutletIn], principal: Writer, session: SessionDep, reason: Reason = None
) -> dict[str, int]:
    """Outlets that changed get a new version (with ``reason`` in their history)."""
    return {"written": save_outlets(session, principal, body, reason=reason)}


@router.post("/results", summary="Record monitoring results", status_code=201)
def post_results(body: list[ResultIn], principal: Writer, session: SessionDep) -> dict[str, Any]:
    return {"written": len(body), "exceedances": record_results(session, principal, body)}


@router.get("/exceedances", summary="Exceedances and their status")
def exceedances(principal: CurrentUser, session: SessionDep) -> list[RecordOut]:
    return [RecordOut.of(r) for r in list_exceedances(session, principal)]


@router.post("/exceedances/{key:path}", summary="Move an exceedance one step on")
def step(key: str, body: StepIn, principal: Writer, session: SessionDep) -> RecordOut:
    record = advance_exceedance(
        session, principal, key, body.step, body.text, expected_version=body.version
    )
    return RecordOut.of(record)


@router.get("/expiring", summary="Permits expiring within the warning window")
def expiring(
    principal: CurrentUser,
    session: SessionDep,
    days: int | None = Query(default=None, ge=0, le=3650),
) -> list[dict[str, Any]]:
    frame = expiring_permits(session, date.today(), days=days, entities=principal.entities)
    return frame.with_columns(frame["valid_to"].cast(str)).to_dicts() if len(frame) else []


@router.get("/compliance/{year}", summary="Compliance rates of a year")
def compliance(
    year: Annotated[int, PathParam(ge=1990, le=2200)], principal: CurrentUser, session: SessionDep
) -> dict[str, Any]:
    """Per pollutant, per site and group; the group figures need a user who sees all sites."""
    summary = discharge_summary(session, year)
    visible = principal.entities
    sites = [r for r in summary.by_site if visible is None or r["entity"] in visible]
    answer: dict[str, Any] = {"year": year, "by_site": sites}
    if visible is None:
        answer |= {
            "by_pollutant": summary.by_pollutant,
            "group": summary.group,
            "exceedances_by_status": summary.exceedances_by_status,
        }
    return answer
