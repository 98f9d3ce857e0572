"""Values a reviewer rejected and the reporter has not answered yet, with the reason.

A rejected value stays rejected until the reporter saves a new revision (a corrected value,
or the same value with a comment) and submits it; the reviewer's reason is the reason of
the changeset that rejected it (:func:`esgledger.ledger.decisions.change_status_of`).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from esgledger.ledger.reads.observations import decisions_of
from esgledger.ledger.revisions import REJECTED, Selection, latest_revisions


@dataclass(frozen=True)
class Rejection:
    """A current rejected value: what it was, who rejected it, when and why."""

    entity: str
    period: str
    indicator: str
    value: str | None
    unit: str | None
    revision_id: int
    by: str
    at: datetime
    reason: str


def open_rejections(
    session: Session, entities: Collection[str] | None, periods: Collection[str] | None = None
) -> list[Rejection]:
    """The rejected values among these entities' current ones, newest rejection first."""
    if entities is not None and not entities:
        return []  # an empty selection would mean "any entity"
    selection = Selection(
        entities=None if entities is None else sorted(entities),
        periods=None if periods is None else sorted(periods),
    )
    rejected = [
        r for r in latest_revisions(session, selection)
        if r.status == REJECTED and not r.is_tombstone
    ]  # fmt: skip
    decided = decisions_of(session, [r.id for r in rejected])
    found = [
        Rejection(
            r.entity,
            r.period,
            r.indicator,
            r.value,
            r.unit,
            r.id,
            decided[r.id].author,
            decided[r.id].at,
            decided[r.id].reason or "",
        )
        for r in rejected
    ]
    return sorted(found, key=lambda x: x.at, reverse=True)
