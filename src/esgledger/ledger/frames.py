"""Approved observations as one polars frame, with their source, for the engine to compute on."""

from __future__ import annotations

from datetime import datetime

import polars as pl
from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from esgledger.ledger.revisions import PUBLISHED_STATUSES, latest_ids
from esgledger.ledger.schema import Changeset, Revision, SnapshotMember
from esgledger.ledger.snapshots import ApprovedValue, content_hash
from esgledger.observation_frame import OBSERVATION_SCHEMA, in_ledger_order

# The engine's columns plus the canonical unit, which the content hash covers.
FRAME_SCHEMA = {**OBSERVATION_SCHEMA, "unit": pl.Utf8}


def snapshot_frame(session: Session, snapshot_id: int) -> pl.DataFrame:
    """The observations a stored snapshot holds."""
    members = select(SnapshotMember.revision_id).where(SnapshotMember.snapshot_id == snapshot_id)
    return _frame(session, Revision.id.in_(members))


def approved_frame(session: Session, as_of: datetime) -> pl.DataFrame:
    """The approved observations as they stood at ``as_of``."""
    ids = latest_ids(statuses=PUBLISHED_STATUSES, as_of=as_of)
    return _frame(session, Revision.id.in_(ids) & Revision.is_tombstone.is_(False))


def _frame(session: Session, condition) -> pl.DataFrame:
    """Values with the source of the revision that entered them (not of a later approval).

    Rows come sorted by indicator, entity and period, in byte order, and the frame says so
    (see ``observation_frame.in_ledger_order``).
    """
    origin = aliased(Revision)
    query = (
        select(
            Revision.entity,
            Revision.period,
            Revision.indicator,
            Revision.canonical_value,
            Revision.id,
            Revision.quality,
            Changeset.source_file,
            Revision.source_sheet,
            Revision.source_row,
            Changeset.author,
            Revision.canonical_unit,
        )
        .join(origin, origin.id == func.coalesce(Revision.origin_id, Revision.id))
        .join(Changeset, Changeset.id == origin.changeset_id)
        .where(condition)
        .order_by(*(_bytewise(session, c) for c in (Revision.indicator, Revision.entity)))
        .order_by(_bytewise(session, Revision.period))
    )
    rows = [(*r[:6], _source(*r[6:10]), r[10]) for r in session.execute(query)]
    return in_ledger_order(pl.DataFrame(rows, schema=FRAME_SCHEMA, orient="row"))


def _bytewise(session: Session, column):
    """Order by code point, as Python sorts: the engine's pivot is fastest on such frames.

    PostgreSQL's default collation follows the locale; SQLite already compares bytes.
    """
    return column.collate("C") if session.get_bind().dialect.name == "postgresql" else column


def _source(file: str | None, sheet: str | None, row: int | None, author: str) -> str:
    if not file:
        return f"entered by {author}"
    where = f", sheet {sheet}" if sheet else ""
    return f"{file}{where}, row {row}"


def frame_hash(frame: pl.DataFrame) -> str:
    """The snapshot content hash of a frame of approved values (same as a stored snapshot's)."""
    columns = ("entity", "period", "indicator", "value", "unit")
    values = [ApprovedValue(*row, 0, None) for row in frame.select(columns).iter_rows()]
    return content_hash(values)
