"""The audit log: every write, newest first, a check of the chain and the data it seals.

Readable by administrators and auditors only (403 for everyone else); nothing here writes.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel

from esgledger.api.deps import AuditReader, SessionDep
from esgledger.api.pagination import Page, PageParams, page_of, page_params
from esgledger.api.schemas import Day, SearchText, UtcDateTime, error_responses
from esgledger.ledger import checkpoint
from esgledger.ledger.reads import AuditEntry
from esgledger.ledger.reads.audit_export import audit_csv
from esgledger.ledger.reads.audit_log import AuditFilter, audit_page
from esgledger.ledger.verify import verify_ledger

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


class BreakPublic(BaseModel):
    """One thing that does not verify: its kind, the table and row, and what differs."""

    kind: str
    table: str
    row: str
    detail: str


class ChainPublic(BaseModel):
    """``ok`` when the chain, every sealed row and every checkpoint in a snapshot verify.

    ``broken_at`` is the first audit entry that fails (None when the break is in the data);
    ``breaks`` lists the first hundred breaks. Record ``head_hash`` elsewhere, or export a
    checkpoint (``GET /audit/checkpoint``), to also catch a cut-off or rewritten log.
    """

    ok: bool
    entries: int
    head_id: int
    head_hash: str
    revisions: int
    checkpoints: int
    broken_at: int | None
    problem: str | None
    breaks: list[BreakPublic]


class CheckpointPublic(BaseModel):
    """The head of the log now; signed (HMAC-SHA256) when the server has an audit key."""

    entry_id: int
    head_hash: str
    revisions: int
    at: str
    signature: str | None


def audit_filter(
    entity: Annotated[SearchText | None, Query(description="Entries about this entity")] = None,
    actor: Annotated[SearchText | None, Query(description="Entries by this user")] = None,
    action: Annotated[SearchText | None, Query(description="``import``, ``approved``...")] = None,
    first_day: Annotated[Day | None, Query(alias="from", description="First day (UTC)")] = None,
    last_day: Annotated[Day | None, Query(alias="to", description="Last day (UTC)")] = None,
) -> AuditFilter:
    """The filters of the audit log, shared by the API, its export and the web page."""
    return AuditFilter(entity or None, actor or None, action or None, first_day, last_day)


AuditQuery = Annotated[AuditFilter, Depends(audit_filter)]


@router.get(
    "", response_model=Page[AuditEntryPublic], responses=error_responses(400), summary="Audit log"
)
def get_audit(
    principal: AuditReader,
    session: SessionDep,
    page: Annotated[PageParams, Depends(page_params)],
    where: AuditQuery,
) -> Page[AuditEntryPublic]:
    """Entries newest first: about one entity, by one actor, of one action (``import``,
    ``approved``...), from one day to another (both included); any combination."""
    entries, total = audit_page(session, where, page.offset, page.limit)
    return page_of(entries, total, page, AuditEntryPublic.of)


@router.get(
    "/export",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}, **error_responses(400)},
    summary="Export the audit log (CSV)",
)
def export_audit(principal: AuditReader, session: SessionDep, where: AuditQuery) -> Response:
    """Every entry the filters match (not one page), newest first, as a CSV file."""
    return Response(
        audit_csv(session, where),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="audit-log.csv"'},
    )


@router.get("/verify", response_model=ChainPublic, summary="Verify the log and the data")
def verify(principal: AuditReader, session: SessionDep) -> ChainPublic:
    """Recompute every entry's hash and every sealed row; report what does not match."""
    check = verify_ledger(session, (), checkpoint.signing_key())
    return ChainPublic(
        ok=check.ok,
        entries=check.entries,
        head_id=check.head_id,
        head_hash=check.head_hash,
        revisions=check.revisions,
        checkpoints=check.checkpoints,
        broken_at=check.broken_at,
        problem=check.problem,
        breaks=[BreakPublic(**b.__dict__) for b in check.breaks[:100]],
    )


@router.get("/checkpoint", response_model=CheckpointPublic, summary="Checkpoint of the head")
def get_checkpoint(principal: AuditReader, session: SessionDep) -> CheckpointPublic:
    """The head to keep outside the database; ``esgledger audit verify --checkpoint`` reads it
    (save the JSON with a ``"format": "esgledger-audit-checkpoint/1"`` field, or use
    ``esgledger audit checkpoint --out FILE``)."""
    head = checkpoint.current(session, checkpoint.signing_key())
    if head is None:
        return CheckpointPublic(entry_id=0, head_hash="0" * 64, revisions=0, at="", signature=None)
    return CheckpointPublic(**head.__dict__)
