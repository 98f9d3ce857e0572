"""The audit log: every write, newest first, and a check of its hash chain.

Readable by administrators and auditors only (403 for everyone else); nothing here writes.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel
from sqlalchemy import select

from esgledger.api.deps import AuditReader, SessionDep
from esgledger.api.pagination import Page, PageParams, page_of, page_params
from esgledger.api.schemas import SearchText, UtcDateTime, error_responses
from esgledger.ledger.audit import verify_chain
from esgledger.ledger.database import one_page
from esgledger.ledger.schema import AuditEntry

router = APIRouter(prefix="/audit", tags=["audit"], responses=error_responses(403))


class AuditEntryPublic(BaseModel):
    id: int
    at: UtcDateTime
    actor: str
    action: str
    detail: dict[str, Any]
    prev_hash: str
    entry_hash: str

    @classmethod
    def of(cls, e: AuditEntry) -> AuditEntryPublic:
        return cls(
            id=e.id,
            at=e.at,
            actor=e.actor,
            action=e.action,
            detail=json.loads(e.detail),
            prev_hash=e.prev_hash,
            entry_hash=e.entry_hash,
        )


class ChainPublic(BaseModel):
    """``ok`` when every hash recomputes; ``head_hash`` is worth recording elsewhere."""

    ok: bool
    entries: int
    head_hash: str
    broken_at: int | None
    problem: str | None


@router.get("", response_model=Page[AuditEntryPublic], summary="Audit log")
def get_audit(
    principal: AuditReader,
    session: SessionDep,
    page: Annotated[PageParams, Depends(page_params)],
    actor: Annotated[SearchText | None, Query()] = None,
    action: Annotated[SearchText | None, Query()] = None,
) -> Page[AuditEntryPublic]:
    """Entries newest first, optionally of one actor or action (``import``, ``approved``...)."""
    query = select(AuditEntry)
    if actor is not None:
        query = query.where(AuditEntry.actor == actor)
    if action is not None:
        query = query.where(AuditEntry.action == action)
    ordered = query.order_by(AuditEntry.id.desc())
    entries, total = one_page(session, ordered, page.offset, page.limit)
    return page_of(entries, total, page, AuditEntryPublic.of)


@router.get("/verify", response_model=ChainPublic, summary="Verify the hash chain")
def verify(principal: AuditReader, session: SessionDep) -> ChainPublic:
    """Recompute every entry's hash in order and report the first that does not match."""
    check = verify_chain(session)
    return ChainPublic(
        ok=check.ok,
        entries=check.entries,
        head_hash=check.head_hash,
        broken_at=check.broken_at,
        problem=check.problem,
    )
