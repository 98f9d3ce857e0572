"""Report texts (narrative blocks): a year's blocks, one block and its history, writing a
block, and its review steps. The same calls as the web pages (esgledger.narrative).

Access: every logged-in user reads; admins, group managers and reporters write and submit;
admins and group managers approve or return, never a text they wrote or submitted (403).
A step on a version someone changed meanwhile is refused with 409.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query
from fastapi import Path as PathParam
from pydantic import BaseModel, Field

from esgledger.api.deps import CurrentUser, SessionDep, Writer
from esgledger.api.routers._state import CatalogDep
from esgledger.api.schemas import UtcDateTime, error_responses
from esgledger.narrative import workflow
from esgledger.narrative.reads import StoredBlock, block_history, get_block, year_blocks

router = APIRouter(
    prefix="/narrative", tags=["narrative"], responses=error_responses(400, 403, 404, 409)
)
Key = Annotated[str, PathParam(max_length=100)]


class BlockOut(BaseModel):
    """One version of a block: its key, version, who wrote it when and why, its fields."""

    key: str
    version: int
    record_id: int
    author: str
    recorded_at: UtcDateTime
    reason: str | None
    fields: dict[str, Any]


class BlockIn(BaseModel):
    """A block's text to save as a new draft; ``expected_version`` 0 for a new block."""

    fields: dict[str, Any] = Field(
        examples=[{"year": 2024, "kind": "outlook", "text_zh": "……", "text_en": "..."}]
    )
    expected_version: int = Field(ge=0)
    reason: str | None = Field(default=None, max_length=2000)


class StepIn(BaseModel):
    """The version the user saw, and a comment (needed to return a block)."""

    expected_version: int = Field(ge=1)
    comment: str = Field(default="", max_length=2000)


def _out(stored: StoredBlock) -> BlockOut:
    return BlockOut(
        key=stored.key, version=stored.version, record_id=stored.row_id, author=stored.author,
        recorded_at=stored.recorded_at, reason=stored.reason,
        fields=stored.block.model_dump(mode="json"),
    )  # fmt: skip


@router.get("/blocks", response_model=list[BlockOut], summary="A year's blocks as they stand")
def list_blocks(
    principal: CurrentUser, session: SessionDep, year: Annotated[int, Query(ge=2000, le=2100)]
) -> list[BlockOut]:
    return [_out(stored) for stored in year_blocks(session, year)]


@router.get("/blocks/{key}", response_model=BlockOut, summary="One block's newest version")
def read_block(principal: CurrentUser, session: SessionDep, key: Key) -> BlockOut:
    return _out(get_block(session, key))


@router.get(
    "/blocks/{key}/history", response_model=list[BlockOut], summary="Every version, oldest first"
)
def read_history(principal: CurrentUser, session: SessionDep, key: Key) -> list[BlockOut]:
    return [_out(stored) for stored in block_history(session, key)]


@router.post("/blocks", response_model=BlockOut, summary="Write a block as a new draft")
def save(
    principal: Writer, session: SessionDep, catalog: CatalogDep, body: Annotated[BlockIn, Body()]
) -> BlockOut:
    saved = workflow.save_block(
        session, catalog, principal, body.fields, expected_version=body.expected_version,
        reason=body.reason,
    )  # fmt: skip
    return _out(saved)


@router.post("/blocks/{key}/submit", response_model=BlockOut, summary="Send a draft for review")
def submit(principal: Writer, session: SessionDep, key: Key, body: StepIn) -> BlockOut:
    return _out(
        workflow.submit_block(session, principal, key, expected_version=body.expected_version)
    )


@router.post("/blocks/{key}/approve", response_model=BlockOut, summary="Approve a submitted block")
def approve(principal: Writer, session: SessionDep, key: Key, body: StepIn) -> BlockOut:
    approved = workflow.approve_block(
        session, principal, key, expected_version=body.expected_version, comment=body.comment
    )
    return _out(approved)


@router.post("/blocks/{key}/return", response_model=BlockOut, summary="Return it to its author")
def return_to_author(principal: Writer, session: SessionDep, key: Key, body: StepIn) -> BlockOut:
    returned = workflow.return_block(
        session, principal, key, expected_version=body.expected_version, comment=body.comment
    )
    return _out(returned)
