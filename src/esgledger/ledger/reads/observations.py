"""Reads of observations by revision: the revisions a form showed, the restated values."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.ledger.schema import Changeset, Revision, SnapshotMember


def revisions_by_id(session: Session, ids: Collection[int]) -> dict[int, Revision]:
    """The revisions with these ids (an id that does not exist is simply absent)."""
    if not ids:
        return {}
    found = session.scalars(select(Revision).where(Revision.id.in_(list(ids))))
    return {revision.id: revision for revision in found}


class RestatedValue(NamedTuple):
    """A value changed after its period was locked, with the reason and the moment."""

    entity: str
    period: str
    indicator: str
    reason: str
    at: datetime


def restated_values(session: Session, snapshot_id: int) -> list[RestatedValue]:
    """The restated observations a snapshot holds, by period, indicator and entity.

    The reason is the revision's comment, else its changeset's reason (both may be empty).
    """
    members = select(SnapshotMember.revision_id).where(SnapshotMember.snapshot_id == snapshot_id)
    query = (
        select(
            Revision.entity,
            Revision.period,
            Revision.indicator,
            Revision.comment,
            Changeset.reason,
            Changeset.created_at,
        )
        .join(Changeset, Changeset.id == Revision.changeset_id)
        .where(Revision.id.in_(members), Revision.restatement.is_(True))
        .order_by(Revision.period, Revision.indicator, Revision.entity)
    )
    return [
        RestatedValue(entity, period, indicator, comment or reason or "", at)
        for entity, period, indicator, comment, reason, at in session.execute(query)
    ]


class Decision(NamedTuple):
    """Who moved a revision to its status, when, and the reason they gave."""

    author: str
    at: datetime
    reason: str | None


def decisions_of(session: Session, revision_ids: Collection[int]) -> dict[int, Decision]:
    """The changeset behind each revision: for a rejected one, the reviewer and the reason."""
    if not revision_ids:
        return {}
    query = (
        select(Revision.id, Changeset.author, Changeset.created_at, Changeset.reason)
        .join(Changeset, Changeset.id == Revision.changeset_id)
        .where(Revision.id.in_(list(revision_ids)))
    )
    return {rid: Decision(author, at, reason) for rid, author, at, reason in session.execute(query)}
