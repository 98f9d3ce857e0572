"""Every revision of a set of observations as one frame: what an auditor samples from.

Assurance needs, for every value in an engagement's scope, its current revision and its
whole history with who, when and why (changesets), read at once rather than one query per
observation. Years are matched on the period text, whose first four characters are the year.
"""

from __future__ import annotations

from collections.abc import Collection

import polars as pl
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from esgledger.ledger.integrity import REVISION_SCHEMA
from esgledger.ledger.schema import Changeset, Revision

# A revision's own columns as the integrity check hashes them (one list of them), then its
# changeset's.
HISTORY_COLUMNS = {
    "revision_id": pl.Int64,
    **{name: kind for name, kind in REVISION_SCHEMA.items() if name != "changeset_id"},
    "content_hash": pl.Utf8,
    "changeset_id": pl.Int64,
    "author": pl.Utf8,
    "created_at": pl.Datetime("us"),
    "action": pl.Utf8,
    "reason": pl.Utf8,
    "source_file": pl.Utf8,
    "source_sha256": pl.Utf8,
}


def revision_history(
    session: Session,
    *,
    entities: Collection[str] | None = None,
    indicators: Collection[str] | None = None,
    years: Collection[int] | None = None,
) -> pl.DataFrame:
    """All revisions of the chosen observations, oldest first, with their changesets."""
    columns = [
        Revision.id,
        Revision.parent_id,
        Revision.origin_id,
        Revision.entity,
        Revision.period,
        Revision.indicator,
        Revision.value,
        Revision.unit,
        Revision.canonical_value,
        Revision.canonical_unit,
        Revision.status,
        Revision.is_tombstone,
        Revision.restatement,
        Revision.quality,
        Revision.comment,
        Revision.source_sheet,
        Revision.source_row,
        Revision.content_hash,
        Changeset.id,
        Changeset.author,
        Changeset.created_at,
        Changeset.action,
        Changeset.reason,
        Changeset.source_file,
        Changeset.source_sha256,
    ]
    query = select(*columns).join(Changeset, Changeset.id == Revision.changeset_id)
    if entities is not None:
        query = query.where(Revision.entity.in_(list(entities)))
    if indicators is not None:
        query = query.where(Revision.indicator.in_(list(indicators)))
    if years is not None:
        query = query.where(or_(*(Revision.period.like(f"{year}%") for year in years)))
    rows = session.execute(query.order_by(Revision.id)).all()
    return pl.DataFrame(
        [tuple(row) for row in rows], schema=HISTORY_COLUMNS, orient="row", strict=False
    )


def written_by(session: Session, changeset_id: int) -> set[tuple[str, str, str]]:
    """The (entity, indicator, period) of every revision one changeset wrote."""
    query = select(Revision.entity, Revision.indicator, Revision.period).where(
        Revision.changeset_id == changeset_id
    )
    return {(entity, indicator, period) for entity, indicator, period in session.execute(query)}
