"""Import a file into the ledger: all of it, or nothing.

The whole file is read and checked first; one problem anywhere rejects it with the full
list. A valid file becomes one changeset whose revisions are the rows that differ from
the ledger's current state, so importing the same file again adds nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy.orm import Session

from esgledger.ledger import audit
from esgledger.ledger.calendar import locked_periods, reporting_years
from esgledger.ledger.chain import ConflictError, hold_write_lock
from esgledger.ledger.imports.context import ImportContext
from esgledger.ledger.imports.limits import ImportLimits
from esgledger.ledger.imports.reader import LOCAL_FILES, Progress, RawTable, read_table
from esgledger.ledger.imports.validate import ImportRejected, checked_rows
from esgledger.ledger.orgstore import load_org
from esgledger.ledger.revisions import (
    DRAFT,
    SUBMITTED,
    Selection,
    append,
    latest_revisions,
    open_changeset,
)
from esgledger.ledger.schema import Revision
from esgledger.periods import Period

__all__ = ["ImportRejected", "ImportResult", "import_file", "import_rows"]


@dataclass(frozen=True)
class ImportResult:
    file: str
    rows: int
    new_revisions: int
    unchanged: int
    changeset_id: int | None


def import_file(
    session: Session,
    path: Path,
    author: str,
    catalog: Any,
    *,
    submit: bool = False,
    progress: Progress | None = None,
    limits: ImportLimits = LOCAL_FILES,
) -> ImportResult:
    """Validate ``path`` completely, then write the rows that change the ledger.

    Raises:
        ImportRejected: any row has a problem; they are listed and nothing is written.
        ImportFileError, ImportTooLarge: the file cannot be read, or is over ``limits``.
    """
    table = read_table(path, progress, limits)
    return import_rows(
        session, table, author, catalog, submit=submit, where=str(path), limits=limits
    )


def import_rows(
    session: Session,
    table: RawTable,
    author: str,
    catalog: Any,
    *,
    submit: bool = False,
    where: str | None = None,
    limits: ImportLimits = LOCAL_FILES,
) -> ImportResult:
    """Validate a table of text cells (from a file or a web form) and write what changed."""
    where = where or table.name
    context = _context(session, catalog, table.frame)
    rows = checked_rows(table.frame, context, where, limits.max_problems)
    # Checked without the write lock (the slow part); compared and written under it, so a
    # form saved meanwhile either lands first and is this import's parent, or loses.
    hold_write_lock(session)
    if {str(p) for p in locked_periods(session)} != {str(p) for p in context.locks}:
        raise ConflictError(
            f"{where}: a period was locked while the file was being checked; nothing was "
            "imported. Import it again to see which rows the lock refuses"
        )
    current = _current_state(session, rows)
    changed = [r for r in rows.iter_rows(named=True) if _differs(r, current.get(_key(r)))]
    if not changed:
        return ImportResult(table.name, rows.height, 0, rows.height, None)
    changeset = open_changeset(
        session, author, "import", source_file=table.name, source_sha256=table.sha256
    )
    status = SUBMITTED if submit else DRAFT
    append(session, changeset, [_revision(r, status, current.get(_key(r))) for r in changed])
    audit.record(
        session,
        author,
        "import",
        {
            "changeset": changeset.id,
            "file": table.name,
            "sha256": table.sha256,
            "rows": rows.height,
            "new_revisions": len(changed),
            "status": status,
        },
    )
    return ImportResult(
        table.name, rows.height, len(changed), rows.height - len(changed), changeset.id
    )


def _context(session: Session, catalog: Any, frame: pl.DataFrame) -> ImportContext:
    entities = frame["entity"].drop_nulls().unique().to_list()
    indicators = frame["indicator"].drop_nulls().unique().to_list()
    existing: dict[tuple[str, str, int], set[str]] = {}
    for revision in latest_revisions(session, Selection(entities=entities, indicators=indicators)):
        if not revision.is_tombstone:
            period = Period.parse(revision.period)
            key = (revision.entity, revision.indicator, period.year)
            existing.setdefault(key, set()).add(period.granularity.value)
    return ImportContext(
        entities=frozenset(entity.code for entity in load_org(session)),
        years=frozenset(reporting_years(session)),
        locks=locked_periods(session),
        catalog=catalog,
        existing_granularity=existing,
    )


def _key(row: dict[str, Any]) -> tuple[str, str, str]:
    return (row["entity"], row["period_text"], row["indicator"])


def _current_state(session: Session, rows: pl.DataFrame) -> dict[tuple[str, str, str], Revision]:
    selection = Selection(
        entities=rows["entity"].unique().to_list(),
        periods=rows["period_text"].unique().to_list(),
        indicators=rows["indicator"].unique().to_list(),
    )
    return {(r.entity, r.period, r.indicator): r for r in latest_revisions(session, selection)}


def _differs(row: dict[str, Any], latest: Revision | None) -> bool:
    if latest is None or latest.is_tombstone:
        return True
    same_value = math.isclose(row["canonical"], latest.canonical_value, rel_tol=1e-12, abs_tol=0.0)
    return not (
        same_value and row["comment"] == latest.comment and row["quality"] == latest.quality
    )


def _revision(row: dict[str, Any], status: str, parent: Revision | None) -> dict[str, Any]:
    return {
        "entity": row["entity"],
        "period": row["period_text"],
        "indicator": row["indicator"],
        "value": row["value_text"],
        "unit": row["given_unit"],
        "canonical_value": row["canonical"],
        "canonical_unit": row["indicator_unit"],
        "status": status,
        "is_tombstone": False,
        "restatement": False,
        "quality": row["quality"],
        "comment": row["comment"],
        "source_sheet": row["sheet"],
        "source_row": row["row"],
        "parent_id": parent.id if parent else None,
    }
