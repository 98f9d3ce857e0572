"""Approved values as of a moment, and content-hashed snapshots of them.

A snapshot is what the engine computes from and what a report pins: the same approved
values always give the same hash, whenever and wherever they are taken.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, insert, select
from sqlalchemy.orm import Session

from esgledger.errors import NotFoundError
from esgledger.ledger import audit, checkpoint
from esgledger.ledger.database import one_page, utcnow
from esgledger.ledger.revisions import PUBLISHED_STATUSES, Selection, latest_ids
from esgledger.ledger.schema import Revision, Snapshot, SnapshotMember


@dataclass(frozen=True)
class ApprovedValue:
    """One approved observation, in its indicator's unit, with the revision it rests on."""

    entity: str
    period: str
    indicator: str
    value: float
    unit: str
    revision_id: int
    quality: str | None


def approved_as_of(
    session: Session, as_of: datetime | None = None, selection: Selection = Selection()
) -> list[ApprovedValue]:
    """The approved value of every observation as it stood at ``as_of`` (default: now).

    A later draft or submission does not replace an approved value until it is approved
    itself; an approved deletion removes the observation.
    """
    ids = latest_ids(selection, statuses=PUBLISHED_STATUSES, as_of=as_of or utcnow())
    query = (
        select(Revision)
        .where(Revision.id.in_(ids), Revision.is_tombstone.is_(False))
        .order_by(Revision.entity, Revision.period, Revision.indicator)
    )
    return [_approved(r) for r in session.scalars(query)]


def content_hash(values: list[ApprovedValue]) -> str:
    """SHA-256 over the sorted (entity, period, indicator, value, unit) lines.

    Revision ids are left out on purpose: re-entering the same figures gives the same hash.
    """
    digest = hashlib.sha256()
    for v in sorted(values, key=lambda v: (v.entity, v.period, v.indicator)):
        digest.update(f"{v.entity}|{v.period}|{v.indicator}|{v.value!r}|{v.unit}\n".encode())
    return digest.hexdigest()


def take_snapshot(session: Session, author: str, as_of: datetime | None = None) -> Snapshot:
    """Record the approved values at ``as_of``; an identical earlier snapshot is reused.

    The snapshot keeps a checkpoint of the audit log's head as it was taken: reports built
    from it print that checkpoint, and ``audit verify`` checks it against the log.
    """
    moment = as_of or utcnow()
    values = approved_as_of(session, moment)
    digest = content_hash(values)
    existing = session.scalars(select(Snapshot).where(Snapshot.content_hash == digest)).first()
    if existing is not None:
        return existing
    head = checkpoint.current(session, checkpoint.signing_key())
    snapshot = Snapshot(
        audit_checkpoint=head.to_json() if head else None,
        content_hash=digest,
        as_of=moment,
        created_at=utcnow(),
        created_by=author,
        observation_count=len(values),
    )
    session.add(snapshot)
    session.flush()
    if values:
        session.execute(
            insert(SnapshotMember),
            [{"snapshot_id": snapshot.id, "revision_id": v.revision_id} for v in values],
        )
    audit.record(
        session,
        author,
        "snapshot",
        {"id": snapshot.id, "hash": digest, "observations": len(values)},
    )
    return snapshot


def snapshot_values(session: Session, snapshot_id: int) -> list[ApprovedValue]:
    """The values a stored snapshot holds, read back through its member revisions."""
    return [_approved(r) for r in session.scalars(_members(session, snapshot_id, Selection()))]


def snapshot_values_page(
    session: Session, snapshot_id: int, selection: Selection, *, offset: int, limit: int
) -> tuple[list[ApprovedValue], int]:
    """One page of a snapshot's selected values and how many it holds: the database slices."""
    rows, total = one_page(session, _members(session, snapshot_id, selection), offset, limit)
    return [_approved(r) for r in rows], total


def _members(session: Session, snapshot_id: int, selection: Selection) -> Select[Any]:
    if session.get(Snapshot, snapshot_id) is None:
        raise NotFoundError.coded("run.no_snapshot", snapshot=snapshot_id)
    query = (
        select(Revision)
        .join(SnapshotMember, SnapshotMember.revision_id == Revision.id)
        .where(SnapshotMember.snapshot_id == snapshot_id)
        .order_by(Revision.entity, Revision.period, Revision.indicator)
    )
    return selection.apply(query)


def _approved(revision: Revision) -> ApprovedValue:
    return ApprovedValue(
        revision.entity,
        revision.period,
        revision.indicator,
        revision.canonical_value,
        revision.canonical_unit,
        revision.id,
        revision.quality,
    )


def list_snapshots(session: Session) -> list[Snapshot]:
    return list(session.scalars(select(Snapshot).order_by(Snapshot.id)))
