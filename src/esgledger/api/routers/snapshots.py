"""Snapshots: the approved values at a moment, pinned by a content hash.

Access: every role lists snapshots and reads their values, a reporter only the values of
its own entities; admins and group managers take snapshots (403 for others). Taking one
is recorded in the audit log; taking one whose content equals an earlier snapshot returns
that snapshot instead of a copy.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel

from esgledger.api.deps import CurrentUser, Reviewer, SessionDep
from esgledger.api.pagination import Page, PageParams, page_of, page_params, paginate
from esgledger.api.routers._access import scoped_selection
from esgledger.api.schemas import READ_ERRORS, WRITE_ERRORS, UtcDateTime
from esgledger.errors import NotFoundError
from esgledger.ledger.reads import Snapshot
from esgledger.ledger.reads.snapshots import newest_snapshot_id, snapshot_by_id
from esgledger.ledger.snapshots import (
    ApprovedValue,
    list_snapshots,
    snapshot_values_page,
    take_snapshot,
)

router = APIRouter(prefix="/snapshots", tags=["snapshots"])
SnapshotId = Annotated[int, Path(ge=1, le=2**31 - 1)]


class SnapshotPublic(BaseModel):
    id: int
    content_hash: str
    as_of: UtcDateTime
    created_at: UtcDateTime
    created_by: str
    observations: int

    @classmethod
    def of(cls, s: Snapshot) -> SnapshotPublic:
        return cls(
            id=s.id,
            content_hash=s.content_hash,
            as_of=s.as_of,
            created_at=s.created_at,
            created_by=s.created_by,
            observations=s.observation_count,
        )


class SnapshotCreated(SnapshotPublic):
    created: bool


class SnapshotValue(BaseModel):
    entity: str
    period: str
    indicator: str
    value: float
    unit: str
    revision: int
    quality: str | None

    @classmethod
    def of(cls, v: ApprovedValue) -> SnapshotValue:
        return cls(
            entity=v.entity,
            period=v.period,
            indicator=v.indicator,
            value=v.value,
            unit=v.unit,
            revision=v.revision_id,
            quality=v.quality,
        )


class SnapshotDetail(SnapshotPublic):
    values: Page[SnapshotValue]


@router.get("", response_model=Page[SnapshotPublic], responses=READ_ERRORS, summary="Snapshots")
def get_snapshots(
    principal: CurrentUser,
    session: SessionDep,
    page: Annotated[PageParams, Depends(page_params)],
) -> Page[SnapshotPublic]:
    """Snapshots, oldest first (hash, moment, author, number of values)."""
    return paginate([SnapshotPublic.of(s) for s in list_snapshots(session)], page)


@router.post("", response_model=SnapshotCreated, responses=WRITE_ERRORS, summary="Take a snapshot")
def post_snapshot(principal: Reviewer, session: SessionDep) -> SnapshotCreated:
    """Pin the approved values as they stand now; ``created`` is false for a repeat."""
    newest = newest_snapshot_id(session)
    shot = take_snapshot(session, principal.username)
    return SnapshotCreated(**SnapshotPublic.of(shot).model_dump(), created=shot.id > newest)


@router.get(
    "/{snapshot_id}",
    response_model=SnapshotDetail,
    responses=READ_ERRORS,
    summary="One snapshot and its values",
)
def get_snapshot(
    snapshot_id: SnapshotId,
    principal: CurrentUser,
    session: SessionDep,
    page: Annotated[PageParams, Depends(page_params)],
) -> SnapshotDetail:
    """The snapshot and a page of its values (a reporter's own entities only)."""
    shot = snapshot_by_id(session, snapshot_id)
    if shot is None:
        raise NotFoundError.coded("access.no_snapshot", snapshot=snapshot_id)
    scope = scoped_selection(principal)
    chosen, total = (
        snapshot_values_page(session, snapshot_id, scope, offset=page.offset, limit=page.limit)
        if scope is not None
        else ([], 0)
    )
    values = page_of(chosen, total, page, SnapshotValue.of)
    return SnapshotDetail(**SnapshotPublic.of(shot).model_dump(), values=values)
