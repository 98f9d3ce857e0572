"""Safety risk management: the registers' records, the year's rates, the reconciliation
with typed totals, and the steps of a hazard's rectification loop.

Reads are scoped to the caller's entities (a reporter sees its own sites); writes need a
writing role and are checked by :mod:`esgledger.safety` exactly as pages and the CLI are:
a refused step (closing an unverified hazard, a photo that is not an image) is a 4xx with
a coded message in the request's language, and nothing is written.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, UploadFile
from pydantic import BaseModel

from esgledger.api.deps import CurrentUser, SessionDep, Writer
from esgledger.api.routers._state import CatalogDep, SettingsDep
from esgledger.api.schemas import error_responses
from esgledger.errors import NotFoundError
from esgledger.ledger.blobs import blob_store
from esgledger.safety import hazards
from esgledger.safety.models import HAZARDS, REGISTERS
from esgledger.safety.register import Entry, visible_record, visible_records
from esgledger.safety.summary import summary

router = APIRouter(prefix="/safety", tags=["safety"], responses=error_responses(400, 404, 422))
NAMES = {register.split(".")[1].replace("_", "-"): register for register in REGISTERS}


class NewHazard(BaseModel):
    key: str
    entity: str
    fields: dict[str, Any]


class Step(BaseModel):
    on: date


def _record(record) -> dict[str, Any]:
    return {
        "key": record.key,
        "entity": record.entity,
        "version": record.version,
        "fields": record.payload,
    }


@router.get("/summary")
def safety_summary(
    session: SessionDep,
    principal: CurrentUser,
    catalog: CatalogDep,
    year: Annotated[int, Query(ge=2000, le=2100)],
    as_of: date | None = None,
) -> dict[str, Any]:
    """The year's counts per site and in total, rates, risk points by grade, overdue
    hazards, and the register-vs-typed reconciliation with LTIFR."""
    found = summary(session, principal, year, as_of or date.today(), catalog)
    recon = found.reconciliation
    return {
        "year": year,
        "as_of": str(found.as_of),
        "totals": found.totals,
        "correction_rate_percent": found.correction_rate,
        "overdue_rate_percent": found.overdue_rate,
        "risk_points_by_grade": found.grades,
        "by_site": found.by_site.to_dicts(),
        "overdue": [_record(h) for h in found.overdue],
        "reconciliation": recon.frame().to_dicts() if recon else [],
        "ltifr": list(recon.ltifr) if recon else [],
    }


@router.get("/{register}")
def register_records(session: SessionDep, principal: CurrentUser, register: str) -> list[dict]:
    """The current records of one register: risk-points, hazards, drills or incidents."""
    if register not in NAMES:
        raise NotFoundError.coded("access.no_register", register=register, names=", ".join(NAMES))
    return [_record(r) for r in visible_records(session, principal, NAMES[register])]


@router.get("/hazards/{key}")
def hazard(session: SessionDep, principal: CurrentUser, key: str) -> dict[str, Any]:
    return _record(visible_record(session, principal, HAZARDS, key))


@router.post("/hazards", status_code=201)
def record_hazard(session: SessionDep, principal: Writer, body: NewHazard) -> dict[str, Any]:
    """Record a hazard found by an inspection (a new key)."""
    hazards.record_hazards(session, principal, [Entry(body.key, body.entity, body.fields, 0)])
    return _record(visible_record(session, principal, HAZARDS, body.key))


@router.post("/hazards/{key}/rectify")
def rectify_hazard(
    session: SessionDep,
    principal: Writer,
    settings: SettingsDep,
    key: str,
    note: Annotated[str, Form(max_length=2000)],
    on: Annotated[date, Form()],
    photos: Annotated[list[UploadFile], File()],
) -> dict[str, Any]:
    """Record the rectification with its photos (images by their content)."""
    files = [(p.filename or "photo", p.file.read()) for p in photos]
    done = hazards.rectify(
        session,
        principal,
        key,
        note=note,
        photos=files,
        on=on,
        files_root=blob_store(settings),
        max_bytes=settings.file_max_bytes,
    )
    return _record(done)


@router.post("/hazards/{key}/verify")
def verify_hazard(session: SessionDep, principal: Writer, key: str, body: Step) -> dict:
    return _record(hazards.verify(session, principal, key, on=body.on))


@router.post("/hazards/{key}/close")
def close_hazard(session: SessionDep, principal: Writer, key: str, body: Step) -> dict:
    """Close a verified hazard; an unverified one is refused (422), nothing changed."""
    return _record(hazards.close(session, principal, key, on=body.on))
