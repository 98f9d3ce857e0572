"""The review workflow: submit, approve, reject, lock a period, restate a locked value.

draft → submitted → approved → locked, with rejected sending a submission back to its
reporter (who corrects and submits again). Each step appends revisions and an audit entry.

Access: submitting is for admins, group managers and reporters (a reporter only for its
own entities: naming another entity is a 404, leaving it out submits just its own);
approving, rejecting, locking and restating are for admins and group managers. Auditors
get 403 on every step.

Submitting and locking select observations (periods select generously: a year includes
its quarters and months, a quarter its months). Approving and rejecting name the revisions
the reviewer saw instead, so that a decision never lands on a value it was not made on.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import BaseModel, Field, StrictBool
from sqlalchemy.orm import Session

from esgledger.api.deps import Reviewer, SessionDep, Writer, require_entity
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
    error_responses,
)
from esgledger.auth.service import Principal
from esgledger.catalog import Kind
from esgledger.errors import EsgError
from esgledger.inputs import InputModel
from esgledger.ledger import revisions
from esgledger.ledger.calendar import lock_period
from esgledger.ledger.decisions import change_status_of
from esgledger.ledger.entry import restate
from esgledger.ledger.orgstore import load_org

router = APIRouter(prefix="/workflow", tags=["workflow"], responses=WRITE_ERRORS)


class WorkflowSelection(BaseModel):
    """Which observations a step acts on; a field left out means "any"."""

    entity: EntityCode | None = None
    periods: list[PeriodText] | None = Field(default=None, max_length=120)
    indicators: list[IndicatorId] | None = Field(default=None, max_length=1000)


RevisionId = Annotated[int, Field(ge=1, le=2**31 - 1)]


class ReviewDecision(BaseModel):
    """A decision on the values a reviewer looked at, named by their revision ids."""

    revisions: list[RevisionId] = Field(
        min_length=1,
        max_length=5000,
        description="The `revision` of each observation as the reviewer saw it; if any is no "
        "longer current (changed meanwhile), nothing is changed and the answer is 409",
    )


class ApproveRequest(ReviewDecision):
    include_drafts: StrictBool = Field(
        default=False, description="Approve drafts directly (a one-person group)"
    )


class RejectRequest(ReviewDecision):
    reason: Reason = Field(description="Why; the reporter reads it beside the values")


class LockRequest(BaseModel):
    period: PeriodText = Field(description="A year or a month")


class RestateRequest(InputModel):
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
) -> ChangeCount:
    selection = scoped_selection(principal, body.entity, body.periods, body.indicators)
    if selection is None:
        return ChangeCount(action=to_status, changed=0)
    changed = revisions.change_status(session, principal.username, to_status, selection)
    return ChangeCount(action=to_status, changed=changed)


@router.post("/submit", response_model=ChangeCount, summary="Submit values for review")
def submit(body: WorkflowSelection, principal: Writer, session: SessionDep) -> ChangeCount:
    """Move drafts and rejected values to *submitted*; answers how many moved."""
    return _step(session, principal, revisions.SUBMITTED, body)


def _decide(
    session: Session, principal: Principal, to_status: str, body: ReviewDecision, **options: Any
) -> ChangeCount:
    moved = change_status_of(session, principal.username, to_status, body.revisions, **options)
    for revision in moved:  # reviewers see every entity today; the rule holds regardless
        require_entity(principal, revision.entity)  # raising rolls the step back
    return ChangeCount(action=to_status, changed=len(moved))


@router.post(
    "/approve",
    response_model=ChangeCount,
    responses=error_responses(409),
    summary="Approve the submitted values a reviewer saw",
)
def approve(body: ApproveRequest, principal: Reviewer, session: SessionDep) -> ChangeCount:
    """Move the named revisions from *submitted* (or *draft*, with ``include_drafts``) to
    *approved*, all or none.

    ``revisions`` are the ``revision`` ids of the observations as the reviewer saw them
    (``GET /observations?status=submitted``). If any has been changed, approved or
    rejected by someone else since, nothing is approved and the answer is 409: reload and
    decide again. One that is not submitted is a 400.
    """
    return _decide(session, principal, revisions.APPROVED, body, include_drafts=body.include_drafts)


@router.post(
    "/reject",
    response_model=ChangeCount,
    responses=error_responses(409),
    summary="Reject the submitted values a reviewer saw",
)
def reject(body: RejectRequest, principal: Reviewer, session: SessionDep) -> ChangeCount:
    """Send the named submitted revisions back to their reporter, all or none.

    A reason is required (422 without). As for approving, a revision that changed
    meanwhile refuses the whole step with 409.
    """
    return _decide(session, principal, revisions.REJECTED, body, reason=body.reason)


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
        raise EsgError.coded("access.computed_not_collected", indicator=body.indicator)
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
