"""Reads of stored snapshots: by id, by content hash, the newest one."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from esgledger.ledger.schema import Snapshot


def snapshot_by_id(session: Session, snapshot_id: int) -> Snapshot | None:
    """The snapshot with this id, or None (a run without a stored snapshot has id 0)."""
    return session.get(Snapshot, snapshot_id) if snapshot_id else None


def snapshot_id_with_hash(session: Session, content_hash: str) -> int | None:
    """The first snapshot whose content hashes to ``content_hash``: a report names its
    snapshot by hash, so that it can be checked against a copy of the ledger."""
    query = select(Snapshot.id).where(Snapshot.content_hash == content_hash).order_by(Snapshot.id)
    return session.scalars(query).first()


def newest_snapshot_id(session: Session) -> int:
    """The id of the newest snapshot, 0 when there is none."""
    return session.scalar(select(func.max(Snapshot.id))) or 0
