"""Assurance workpapers under /api/v1/assurance (auditors; reporters answer their queries).

Engagements, samples (random with a seed, monetary-unit, risk-based), tick marks, queries
to reporters and their answers, findings, sign-offs (refused while the scope has open
queries or findings; shown stale after a later revision) and the assurance package (ZIP).
Every write goes to an ``assurance.*`` register; an auditor writes nothing else.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, Field

from esgledger.api.deps import CurrentUser, SessionDep, _requiring
from esgledger.api.routers._state import CatalogDep, SettingsDep
from esgledger.api.schemas import RecordOut, error_responses
from esgledger.assurance.engagements import engagement, list_engagements, of_engagement
from esgledger.assurance.model import FINDINGS, ITEMS, QUERIES, SAMPLES
from esgledger.assurance.package import build_package
from esgledger.assurance.service import create_engagement, draw_sample, notify_query
from esgledger.assurance.signoff import sign_off, signoff_states
from esgledger.assurance.workpapers import (
    answer,
    ask,
    close_query,
    mark_item,
    queries_for,
    raise_finding,
    update_finding,
)
from esgledger.auth.roles import ASSURERS, REVIEWERS
from esgledger.auth.service import Principal
from esgledger.inputs import InputModel
from esgledger.settings import files_folder

# Workpapers are read by assurers and by the group's reviewers (who answer findings).
Reader = Annotated[Principal, Depends(_requiring(ASSURERS | REVIEWERS, "access.read_workpapers"))]
router = APIRouter(prefix="/assurance", tags=["assurance"], responses=error_responses(400, 404))


class EngagementIn(InputModel):
    code: str = Field(max_length=40)
    title: str = Field(default="", max_length=200)
    year: int = Field(ge=1990, le=2100)
    standard: Literal["ISAE 3000", "ISAE 3410"]
    level: Literal["limited", "reasonable"]
    entities: list[str]
    indicators: list[str]
    common_unit: str = "tCO2e"


class SampleIn(InputModel):
    method: Literal["random", "mus", "risk"]
    size: int = Field(ge=1, le=10_000)
    seed: int = Field(ge=0)


class ValueRef(BaseModel):
    entity: str
    period: str
    indicator: str


class TicksIn(ValueRef):
    ticks: list[str]
    note: str = Field(default="", max_length=2000)


class QueryIn(ValueRef):
    recipient: str
    question: str = Field(max_length=2000)


class AnswerIn(InputModel):
    key: str
    answer: str = Field(max_length=4000)


class FindingIn(ValueRef):
    severity: Literal["low", "medium", "high"]
    title: str = Field(max_length=500)


class FindingUpdateIn(BaseModel):
    key: str
    status: Literal["open", "responded", "closed"]
    response: str = Field(default="", max_length=4000)


class SignOffIn(BaseModel):
    entity: str
    indicator: str
    conclusion: str = Field(default="", max_length=2000)


@router.get("/engagements")
def engagements(session: SessionDep, principal: Reader) -> list[RecordOut]:
    """Every engagement."""
    return [RecordOut.of(r) for r in list_engagements(session)]


@router.post("/engagements", status_code=201)
def new_engagement(
    body: EngagementIn, session: SessionDep, principal: CurrentUser, catalog: CatalogDep
) -> RecordOut:
    """Open an engagement: year, scope, standard and level."""
    return RecordOut.of(create_engagement(session, principal, catalog, body.model_dump()))


@router.get("/engagements/{code}")
def workpaper(code: str, session: SessionDep, principal: Reader) -> dict[str, Any]:
    """The engagement with its samples, ticks, queries, findings and sign-offs."""
    found = engagement(session, code)
    parts = {
        name: [RecordOut.of(r) for r in of_engagement(session, register, code)]
        for name, register in (
            ("samples", SAMPLES),
            ("items", ITEMS),
            ("queries", QUERIES),
            ("findings", FINDINGS),
        )
    }
    signoffs = [
        {
            **RecordOut.of(s["record"]).model_dump(),
            "stale": s["stale"],
            "changed_periods": s["changed_periods"],
        }
        for s in signoff_states(session, code)
    ]
    return {"engagement": RecordOut.of(found), **parts, "signoffs": signoffs}


@router.post("/engagements/{code}/samples", status_code=201)
def new_sample(
    code: str, body: SampleIn, session: SessionDep, principal: CurrentUser, settings: SettingsDep
) -> RecordOut:
    """Draw a sample and store it with its seed (and interval and start for MUS)."""
    return RecordOut.of(
        draw_sample(session, principal, settings, code, body.method, body.size, body.seed)
    )


@router.post("/engagements/{code}/ticks")
def ticks(code: str, body: TicksIn, session: SessionDep, principal: CurrentUser) -> RecordOut:
    """Record the tick marks on one value."""
    return RecordOut.of(
        mark_item(session, principal, code, body.model_dump(), body.ticks, body.note)
    )


@router.post("/engagements/{code}/queries", status_code=201)
def new_query(code: str, body: QueryIn, session: SessionDep, principal: CurrentUser) -> RecordOut:
    """Send a query to a reporter about one value (posted to its inbox)."""
    query = ask(session, principal, code, body.model_dump(), body.recipient, body.question)
    notify_query(session, query, principal.username)
    return RecordOut.of(query)


@router.get("/queries/mine")
def my_queries(session: SessionDep, principal: CurrentUser) -> list[RecordOut]:
    """The queries sent to the caller, newest first, with their answers."""
    return [RecordOut.of(r) for r in queries_for(session, principal)]


@router.post("/queries/answer")
def answer_query(body: AnswerIn, session: SessionDep, principal: CurrentUser) -> RecordOut:
    """Answer a query (its reporter), or record an answer received otherwise (an auditor)."""
    return RecordOut.of(answer(session, principal, body.key, body.answer))


@router.post("/queries/close")
def close(body: AnswerIn, session: SessionDep, principal: CurrentUser) -> RecordOut:
    """Accept a query's answer: it no longer holds up a sign-off."""
    return RecordOut.of(close_query(session, principal, body.key))


@router.post("/engagements/{code}/findings", status_code=201)
def new_finding(
    code: str, body: FindingIn, session: SessionDep, principal: CurrentUser
) -> RecordOut:
    return RecordOut.of(
        raise_finding(session, principal, code, body.model_dump(), body.severity, body.title)
    )


@router.post("/findings/update")
def change_finding(body: FindingUpdateIn, session: SessionDep, principal: CurrentUser) -> RecordOut:
    return RecordOut.of(update_finding(session, principal, body.key, body.status, body.response))


@router.post("/engagements/{code}/signoffs", status_code=201)
def new_signoff(
    code: str, body: SignOffIn, session: SessionDep, principal: CurrentUser
) -> RecordOut:
    """Sign off an indicator of an entity (refused while queries or findings are open)."""
    return RecordOut.of(
        sign_off(session, principal, code, body.entity, body.indicator, body.conclusion)
    )


@router.post("/engagements/{code}/package", response_class=Response)
def package(
    code: str, session: SessionDep, principal: CurrentUser, settings: SettingsDep
) -> Response:
    """The assurance package as a ZIP (its export is recorded in the audit log)."""
    data = build_package(session, principal, code, files_folder(settings))
    return Response(
        data,
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="assurance-{code}.zip"'},
    )
