"""Reading narrative blocks: a year's blocks as they stand, one block's history, and the
version of each block a report prints (its newest approved one)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from esgledger.errors import NotFoundError
from esgledger.ledger.reads.records import (
    RecordView,
    current_record,
    current_records,
    record_history,
)
from esgledger.narrative.kinds import load_kinds
from esgledger.narrative.model import REGISTER, Block, Status, block_of


@dataclass(frozen=True)
class StoredBlock:
    """One version of a block with who wrote it, when, why, and its record row id."""

    key: str
    version: int
    row_id: int
    author: str
    recorded_at: datetime
    reason: str | None
    block: Block


def stored(view: RecordView) -> StoredBlock:
    return StoredBlock(
        view.key,
        view.version,
        view.row_id,
        view.author,
        view.recorded_at,
        view.reason,
        block_of(view.payload),
    )


def _order(item: StoredBlock) -> tuple[int, str]:
    kinds = load_kinds()
    kind = kinds.get(item.block.kind)
    return (kind.order if kind else 99, item.key)


def year_blocks(session: Session, year: int) -> list[StoredBlock]:
    """Every block of ``year`` as it stands now, in the report's order."""
    found = [stored(v) for v in current_records(session, REGISTER)]
    return sorted((b for b in found if b.block.year == year), key=_order)


def get_block(session: Session, key: str) -> StoredBlock:
    """The newest version of one block, or a not-found error naming the key."""
    view = current_record(session, REGISTER, key)
    if view is None or view.retired:
        raise NotFoundError.coded("narrative_block.no_block", key=key)
    return stored(view)


def block_history(session: Session, key: str) -> list[StoredBlock]:
    """Every version of one block, oldest first."""
    history = [stored(v) for v in record_history(session, REGISTER, key)]
    if not history:
        raise NotFoundError.coded("narrative_block.no_block", key=key)
    return history


def approved_blocks(session: Session, year: int) -> list[StoredBlock]:
    """The version of each block of ``year`` a report prints: its newest approved one.

    A block edited after its approval keeps its approved text in the report until the new
    text is approved in turn; a block never approved is not printed.
    """
    printed = []
    for current in year_blocks(session, year):
        approved = [
            b for b in block_history(session, current.key) if b.block.status is Status.APPROVED
        ]
        if approved:
            printed.append(approved[-1])
    return printed
