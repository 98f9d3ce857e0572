"""Observations: current values, one value's history, form saves and deletions.

Access: every role reads; admins, group managers and reporters write; auditors get 403 on
writes. A reporter naming an entity that is not its own gets 404, for reads and writes
alike, so the API never reveals another entity's data or existence. Every write goes
through the ledger's revision services, which record it in the audit log.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field, StrictBool
from sqlalchemy import Engine

from esgledger.api.deps import CurrentUser, SessionDep, Writer, require_entity
from esgledger.api.loopreads import loop_reads
from esgledger.api.page_cache import page_cache
from esgledger.api.pagination import Page, PageParams, page_json, page_params
from esgledger.api.routers._access import scoped_selection
from esgledger.api.routers._state import CatalogDep
from esgledger.api.schemas import (
    OBSERVATION_COLUMNS,
    READ_ERRORS,
    WRITE_ERRORS,
    ChangeCount,
    EntityCode,
    IndicatorId,
    Note,
    ObservationPublic,
    PeriodText,
    Reason,
    SavePublic,
    Text,
    UnitText,
    UtcDateTime,
    error_responses,
)
from esgledger.errors import NotFoundError
from esgledger.inputs import InputModel
from esgledger.ledger import revisions
from esgledger.ledger.calendar import LockError, is_locked, locked_periods
from esgledger.ledger.database import one_read
from esgledger.ledger.entry import FormValue, save_form
from esgledger.periods import Period

router = APIRouter(tags=["observations"])
Status = Literal["draft", "submitted", "approved", "rejected", "locked"]


class RevisionPublic(BaseModel):
    """One revision of an observation: the value or status it set, who, when, why, whence."""

    revision: int
    parent: int | None
    value: str | None
    unit: str | None
    canonical_value: float | None
    canonical_unit: str
    status: str
    deleted: bool
    restatement: bool
    comment: str | None
    author: str
    at: UtcDateTime
    action: str
    reason: str | None
    source_file: str | None
    source_sha256: str | None
    source_sheet: str | None
    source_row: int | None


class FormValueBase(InputModel):
    indicator: IndicatorId
    value: Text(100) | float = Field(description="The figure as entered; blank leaves it out")
    unit: UnitText | None = None
    comment: Note | None = None


class FormValueCreate(FormValueBase):
    seen_revision: int | None = Field(
        default=None, description="Revision id the editor loaded (null if the field was empty)"
    )


class ObservationsCreate(BaseModel):
    """A data-entry form: values of one entity and period, saved all or nothing."""

    entity: EntityCode
    period: PeriodText
    values: list[FormValueCreate] = Field(min_length=1, max_length=1000)
    submit: StrictBool = Field(default=False, description="Submit for review at once")


class ObservationDelete(BaseModel):
    entity: EntityCode
    period: PeriodText
    indicator: IndicatorId
    reason: Reason


@router.get(
    "/observations",
    response_model=Page[ObservationPublic],
    responses=READ_ERRORS,
    summary="Current observations",
)
async def list_observations(
    request: Request,
    principal: CurrentUser,
    page: Annotated[PageParams, Depends(page_params)],
    entity: Annotated[EntityCode | None, Query()] = None,
    period: Annotated[PeriodText | None, Query(description="A year includes its months")] = None,
    indicator: Annotated[IndicatorId | None, Query()] = None,
    status: Annotated[Status | None, Query()] = None,
) -> Response:
    """The current state of observations (deleted ones left out), by entity and indicator.

    A reporter sees its own entities only; naming another entity is a 404.
    """
    # The body is kept per ledger version and query (api/page_cache.py): a repeated read is
    # the version query on the event loop and a look-up. A miss is one hop to the thread
    # pool (the dependencies are async) and a page serialised from plain rows: a model per
    # row and a second validation against the response model cost more than the queries.
    periods = [period] if period else None
    selection = scoped_selection(principal, entity, periods, [indicator] if indicator else None)
    if selection is None:
        return _json(page_json([], 0, page))
    version = loop_reads(request.app).ledger_version()
    cache = page_cache(request.app, "observations")
    chosen = (selection.entities, selection.periods, selection.indicators)
    selected = (*(tuple(names or ()) for names in chosen), status)
    key = (*selected, page.offset, page.limit)
    body = cache.get(version, key)
    if body is None:
        known = cache.total(version, selected)
        body, total = await run_in_threadpool(
            _current_page, request.app.state.database, selection, status, page, known
        )
        cache.put(version, key, body)
        cache.keep_total(version, selected, total)
    return _json(body)


def _current_page(
    database: Engine,
    selection: revisions.Selection,
    status: str | None,
    page: PageParams,
    total: int | None,
) -> tuple[bytes, int]:
    with one_read(database) as session:
        rows, total = revisions.current_page(
            session,
            selection,
            status=status,
            offset=page.offset,
            limit=page.limit,
            columns=OBSERVATION_COLUMNS,
            total=total,
        )
    # one tuple of names for the page: Row._asdict() rebuilds it per row (about a third of a
    # missed page's CPU in the worker)
    fields = rows[0]._fields if rows else ()
    body = page_json([dict(zip(fields, row, strict=True)) for row in rows], total, page)
    return body, total


def _json(body: bytes) -> Response:
    return Response(body, media_type="application/json")


@router.get(
    "/observations/history",
    response_model=list[RevisionPublic],
    responses=READ_ERRORS,
    summary="History of one observation",
)
def observation_history(
    principal: CurrentUser,
    session: SessionDep,
    entity: Annotated[EntityCode, Query()],
    period: Annotated[PeriodText, Query()],
    indicator: Annotated[IndicatorId, Query()],
) -> list[RevisionPublic]:
    """Every revision of one observation, oldest first: values, statuses, authors, reasons."""
    require_entity(principal, entity)
    rows = revisions.history(session, entity, period, indicator)
    if not rows:
        raise NotFoundError.coded(
            "access.no_observation", entity=entity, period=period, indicator=indicator
        )
    return [
        RevisionPublic(
            revision=r.id,
            parent=r.parent_id,
            value=r.value,
            unit=r.unit,
            canonical_value=r.canonical_value,
            canonical_unit=r.canonical_unit,
            status=r.status,
            deleted=r.is_tombstone,
            restatement=bool(r.restatement),
            comment=r.comment,
            author=c.author,
            at=c.created_at,
            action=c.action,
            reason=c.reason,
            source_file=c.source_file,
            source_sha256=c.source_sha256,
            source_sheet=r.source_sheet,
            source_row=r.source_row,
        )
        for r, c in rows
    ]


@router.post(
    "/observations",
    response_model=SavePublic,
    responses=error_responses(400, 403, 404, 409),
    summary="Save a data-entry form",
)
def save_observations(
    body: ObservationsCreate, principal: Writer, session: SessionDep, catalog: CatalogDep
) -> SavePublic:
    """Save values of one entity and period, checked like an imported file.

    Each value carries the revision id its editor loaded (``seen_revision``); when another
    user changed any of them in between, nothing is saved and the answer is 409 naming the
    indicators. Invalid values give 422 with one entry per bad row (row = position in
    ``values``, from 1). A reporter may only save its own entities (404 otherwise).
    """
    require_entity(principal, body.entity)
    values = [
        FormValue(v.indicator, _text(v.value), v.unit, v.seen_revision, v.comment)
        for v in body.values
    ]
    result = save_form(
        session, principal.username, catalog, body.entity, body.period, values, submit=body.submit
    )
    return SavePublic.of(result, body.submit, session)


def _text(value: str | float) -> str:
    return value if isinstance(value, str) else repr(value)


@router.post(
    "/observations/delete",
    response_model=ChangeCount,
    responses=WRITE_ERRORS,
    summary="Delete an observation",
)
def delete_observation(
    body: ObservationDelete, principal: Writer, session: SessionDep
) -> ChangeCount:
    """Delete one observation by appending a tombstone (a draft, to submit and approve).

    Earlier values stay in its history. A locked period refuses deletions (restate
    instead); a reporter may only delete its own entities' values (404 otherwise).
    """
    require_entity(principal, body.entity)
    if is_locked(Period.parse(body.period), locked_periods(session)):
        raise LockError.coded("access.locked", period=body.period)
    selection = revisions.Selection([body.entity], [body.period], [body.indicator])
    count = revisions.delete(session, principal.username, selection, body.reason)
    if count == 0:
        raise NotFoundError.coded(
            "access.no_observation",
            entity=body.entity,
            period=body.period,
            indicator=body.indicator,
        )
    return ChangeCount(action="delete", changed=count)
