"""A reporter's answers: threads waiting for the caller, and "not applicable" answers.

Threads themselves are read and written through ``/comments`` (review router); here is the
list a home page is built from. "Not applicable" is declared and withdrawn by those who
write values (their own entities), accepted or rejected by reviewers: see NA_DECLARERS and
NA_REVIEWERS in auth/roles.py and :mod:`esgledger.answers.not_applicable`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from esgledger.answers import not_applicable as na
from esgledger.answers.notify import tell
from esgledger.answers.threads import Thread, waiting_threads
from esgledger.api.deps import CurrentUser, SessionDep, _requiring, require_entity
from esgledger.api.routers._access import entity_scope
from esgledger.api.routers._state import CatalogDep
from esgledger.api.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    EntityCode,
    IndicatorId,
    PeriodText,
    Text,
    UtcDateTime,
)
from esgledger.auth.roles import NA_DECLARERS, NA_REVIEWERS
from esgledger.auth.service import Principal
from esgledger.errors import EsgError
from esgledger.ledger.calendar import is_locked, locked_periods
from esgledger.ledger.orgstore import load_org
from esgledger.ledger.revisions import Selection, latest_revisions
from esgledger.periods import Period

router = APIRouter(tags=["answers"])
Declarer = Annotated[Principal, Depends(_requiring(NA_DECLARERS, "access.answer_na"))]
NaReviewer = Annotated[Principal, Depends(_requiring(NA_REVIEWERS, "access.decide_na"))]


class WaitingThread(BaseModel):
    entity: str
    period: str
    indicator: str
    comments: int
    last_author: str
    last_role: str | None
    last_text: str
    last_at: UtcDateTime

    @classmethod
    def of(cls, t: Thread) -> WaitingThread:
        last = t.comments[-1]
        return cls(
            entity=t.entity, period=t.period, indicator=t.indicator, comments=len(t.comments),
            last_author=last.author, last_role=last.role, last_text=last.text, last_at=last.at,
        )  # fmt: skip


class NaItem(BaseModel):
    entity: EntityCode
    period: PeriodText
    indicator: IndicatorId


class NaCreate(NaItem):
    reason: Text(2000, min_length=1)


class NaDecision(NaItem):
    accept: bool
    reason: Text(2000) = ""


class NaPublic(NaItem):
    reason: str
    author: str
    accepted_by: str | None

    @classmethod
    def of(cls, a: na.NotApplicable) -> NaPublic:
        return cls(
            entity=a.entity, period=a.period, indicator=a.indicator, reason=a.reason,
            author=a.author, accepted_by=a.accepted_by,
        )  # fmt: skip


@router.get("/threads/waiting", response_model=list[WaitingThread], responses=READ_ERRORS,
            summary="Comment threads waiting for your answer")  # fmt: skip
def threads_waiting(principal: CurrentUser, session: SessionDep) -> list[WaitingThread]:
    """Threads whose last comment is someone else's and that expect the caller's answer."""
    return [WaitingThread.of(t) for t in waiting_threads(session, principal)]


@router.get("/not-applicable", response_model=list[NaPublic], responses=READ_ERRORS,
            summary="Not-applicable answers")  # fmt: skip
def list_na(
    principal: CurrentUser,
    session: SessionDep,
    entity: Annotated[EntityCode | None, Query()] = None,
    period: Annotated[PeriodText | None, Query()] = None,
) -> list[NaPublic]:
    """Current answers on the entities the caller may see."""
    found = na.current_answers(session, entity_scope(principal, entity), period and [period])
    return [NaPublic.of(a) for a in found.values()]


def _check(session: SessionDep, catalog: CatalogDep, principal: Principal, item: NaItem) -> str:
    """The canonical period; 404 for an unknown or foreign entity or indicator; no locks."""
    require_entity(principal, item.entity)
    load_org(session).get(item.entity)
    catalog.get(item.indicator)
    period = Period.parse(item.period)
    if is_locked(period, locked_periods(session)):
        raise EsgError.coded("na_answer.locked", period=str(period))
    return str(period)


@router.put("/not-applicable", response_model=NaPublic, responses=WRITE_ERRORS,
            summary="Answer not applicable")  # fmt: skip
def declare_na(
    body: NaCreate, principal: Declarer, session: SessionDep, catalog: CatalogDep
) -> NaPublic:
    """Answer an owed indicator "not applicable" with a reason (refused if it has a value)."""
    period = _check(session, catalog, principal, body)
    values = latest_revisions(session, Selection([body.entity], [period], [body.indicator]))
    has_value = any(not r.is_tombstone for r in values)
    answer = na.declare(
        session, principal.username, body.entity, period, body.indicator, body.reason,
        has_value=has_value,
    )  # fmt: skip
    return NaPublic.of(answer)


@router.delete("/not-applicable", status_code=204, responses=WRITE_ERRORS,
               summary="Withdraw a not-applicable answer")  # fmt: skip
def withdraw_na(
    principal: Declarer,
    session: SessionDep,
    catalog: CatalogDep,
    entity: Annotated[EntityCode, Query()],
    period: Annotated[PeriodText, Query()],
    indicator: Annotated[IndicatorId, Query()],
) -> None:
    """Take the answer back: the indicator is owed again."""
    item = NaItem(entity=entity, period=period, indicator=indicator)
    na.withdraw(session, principal.username, entity, _check(session, catalog, principal, item),
                indicator)  # fmt: skip


@router.post("/not-applicable/decision", status_code=204, responses=WRITE_ERRORS,
             summary="Accept or reject a not-applicable answer")  # fmt: skip
def decide_na(
    body: NaDecision, principal: NaReviewer, session: SessionDep, catalog: CatalogDep
) -> None:
    """Accept (kept) or reject (retired, with the reason; its author is told)."""
    period = _check(session, catalog, principal, body)
    answers = na.current_answers(session, [body.entity], [period])
    answer = answers.get((body.entity, period, body.indicator))
    na.decide(session, principal.username, body.entity, period, body.indicator,
              accept=body.accept, reason=body.reason)  # fmt: skip
    if not body.accept and answer is not None:
        tell(session, principal.username, "na_rejected", {answer.author}, body.entity, period,
             body.indicator, reason=body.reason.strip())  # fmt: skip
