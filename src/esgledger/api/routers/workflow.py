"""The review workflow: submit, approve, reject, lock a period, restate a locked value.

draft → submitted → approved → locked, with rejected sending a submission back to its
reporter (who corrects and submits again). Each step appends revisions and an audit entry.

Access: submitting is for admins, group managers and reporters (a reporter only for its
own entities: naming another entity is a 404, leaving it out submits just its own);
approving, rejecting, locking and restating are for admins and group managers. Auditors
get 403 on every step.

Periods select generously: a year includes its quarters and months, a quarter its months.
"""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field, StrictBool
from sqlalchemy.orm import Session

from esgledger.api.deps import Reviewer, SessionDep, Writer
from esgledger.api.routers._access import scoped_selection
from esgledger.api.routers._state import CatalogDep
from esgledger.api.schemas import (
    WRITE_ERRORS,
    ChangeCount,
    EntityCode,
    IndicatorId,
    ObservationPublic,
    PeriodText,
    Reason,
    UnitText,
)
from esgledger.auth.service import Principal
from esgledger.catalog import Kind
from esgledger.errors import EsgError
from esgledger.ledger import revisions
from esgledger.ledger.calendar import lock_period
from esgledger.ledger.entry import restate
from esgledger.ledger.orgstore import load_org

router = APIRouter(prefix="/workflow", tags=["workflow"], responses=WRITE_ERRORS)


class WorkflowSelection(BaseModel):
    """Which observations a step acts on; a field left out means "any"."""

    entity: EntityCode | None = None
    periods: list[PeriodText] | None = Field(default=None, max_length=120)
    indicators: list[IndicatorId] | None = Field(default=None, max_length=1000)


class ApproveRequest(WorkflowSelection):
    include_drafts: StrictBool = Field(
        default=False, description="Approve drafts directly (a one-person group)"
    )


class RejectRequest(WorkflowSelection):
    reason: Reason = Field(description="Why; the reporter reads it beside the values")


class LockRequest(BaseModel):
    period: PeriodText = Field(description="A year or a month")


class RestateRequest(BaseModel):
    """A correction of a locked value, flagged as a restatement in reports."""

    entity: EntityCode
    period: PeriodText
    indicator: IndicatorId
    value: float = Field(allow_inf_nan=False)
    unit: UnitText
    reason: Reason


def _step(
    session: Session,
    principal: Principal,
    to_status: str,
    body: WorkflowSelection,
    **options: object,
) -> ChangeCount:
    selection = scoped_selection(principal, body.entity, body.periods, body.indicators)
    if selection is None:
        return ChangeCount(action=to_status, changed=0)
    changed = revisions.change_status(session, principal.username, to_status, selection, **options)
    return ChangeCount(action=to_status, changed=changed)


@router.post("/submit", response_model=ChangeCount, summary="Submit values for review")
def submit(body: WorkflowSelection, principal: Writer, session: SessionDep) -> ChangeCount:
    """Move drafts and rejected values to *submitted*; answers how many moved."""
    return _step(session, principal, revisions.SUBMITTED, body)


@router.post("/approve", response_model=ChangeCount, summary="Approve submitted values")
def approve(body: ApproveRequest, principal: Reviewer, session: SessionDep) -> ChangeCount:
    """Move submitted values (and drafts, with ``include_drafts``) to *approved*."""
    return _step(session, principal, revisions.APPROVED, body, include_drafts=body.include_drafts)


@router.post("/reject", response_model=ChangeCount, summary="Reject submitted values")
def reject(body: RejectRequest, principal: Reviewer, session: SessionDep) -> ChangeCount:
    """Send submitted values back to their reporter; a reason is required (422 without)."""
    return _step(session, principal, revisions.REJECTED, body, reason=body.reason)


@router.post("/lock", response_model=ChangeCount, summary="Lock a period")
def lock(body: LockRequest, principal: Reviewer, session: SessionDep) -> ChangeCount:
    """Lock a year or a month once everything in it is approved (400 says what is not).

    After the lock, values of the period change only by restatement.
    """
    count = lock_period(session, principal.username, body.period)
    return ChangeCount(action="lock", changed=count)


@router.post("/restate", response_model=ObservationPublic, summary="Restate a locked value")
def restate_value(
    body: RestateRequest, principal: Reviewer, session: SessionDep, catalog: CatalogDep
) -> ObservationPublic:
    """Correct a value of a locked period with a reason; the new revision is flagged.

    A period that is not locked is a 400: change its values through the normal workflow.
    """
    load_org(session).get(body.entity)  # 404 for an unknown entity
    if catalog.get(body.indicator).kind is not Kind.INPUT:
        raise EsgError(f"{body.indicator} is computed, not collected; restate its inputs")
    revision = restate(
        session,
        principal.username,
        catalog,
        body.entity,
        body.period,
        body.indicator,
        body.value,
        body.unit,
        body.reason,
    )
    return ObservationPublic.of(revision)
