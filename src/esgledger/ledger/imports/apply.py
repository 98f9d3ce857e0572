"""Import a file into the ledger: all of it, or nothing.

The whole file is read and checked first; one problem anywhere rejects it with the full
list. A valid file becomes one changeset whose revisions are the rows that differ from
the ledger's current state, so importing the same file again adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.catalog.registry import Catalog
from esgledger.ledger import audit
from esgledger.ledger.bulk import append_frame
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
    latest_ids,
    open_changeset,
)
from esgledger.ledger.schema import Revision
from esgledger.periods import Period

__all__ = ["ImportRejected", "ImportResult", "check_rows", "import_file", "import_rows"]

_READ_CHUNK = 50_000
_KEY = ("entity", "period", "indicator")
_ROW_KEY = ["entity", "period_text", "indicator"]
# The checked rows' columns that a revision is written from (beside the key).
_WRITTEN = (
    "canonical",
    "comment",
    "quality",
    "value_text",
    "given_unit",
    "indicator_unit",
    "sheet",
    "row",
)
# The columns of an observation's newest revision that an import compares with.
_LATEST = {
    "id": pl.Int64,
    "entity": pl.Utf8,
    "period": pl.Utf8,
    "indicator": pl.Utf8,
    "canonical_value": pl.Float64,
    "comment": pl.Utf8,
    "quality": pl.Utf8,
    "is_tombstone": pl.Boolean,
}


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
    catalog: Catalog,
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
    catalog: Catalog,
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
        raise ConflictError.coded("import.locked_meanwhile", where=where)
    changed = _changed_rows(rows, _current_state(session, rows))
    if changed.is_empty():
        return ImportResult(table.name, rows.height, 0, rows.height, None)
    changeset = open_changeset(
        session, author, "import", source_file=table.name, source_sha256=table.sha256
    )
    status = SUBMITTED if submit else DRAFT
    append_frame(session, changeset, _revisions(changed, status))
    audit.record(
        session,
        author,
        "import",
        {
            "changeset": changeset.id,
            "file": table.name,
            "sha256": table.sha256,
            "rows": rows.height,
            "new_revisions": changed.height,
            "status": status,
        },
    )
    return ImportResult(
        table.name, rows.height, changed.height, rows.height - changed.height, changeset.id
    )


def check_rows(
    session: Session,
    table: RawTable,
    catalog: Catalog,
    *,
    where: str | None = None,
    limits: ImportLimits = LOCAL_FILES,
) -> int:
    """Check a table as :func:`import_rows` would, writing nothing; returns its row count.

    What an error file is made from when a caller wants the problems without an import.

    Raises:
        ImportRejected: any row has a problem.
    """
    context = _context(session, catalog, table.frame)
    return checked_rows(table.frame, context, where or table.name, limits.max_problems).height


def _context(session: Session, catalog: Catalog, frame: pl.DataFrame) -> ImportContext:
    selection = Selection(
        entities=frame["entity"].drop_nulls().unique().to_list(),
        indicators=frame["indicator"].drop_nulls().unique().to_list(),
    )
    existing: dict[tuple[str, str, int], set[str]] = {}
    latest = _latest_state(session, selection).filter(~pl.col("is_tombstone"))
    grains = {text: Period.parse(text) for text in latest["period"].unique().to_list()}
    for entity, period, indicator in latest.select(_KEY).iter_rows():
        key = (entity, indicator, grains[period].year)
        existing.setdefault(key, set()).add(grains[period].granularity.value)
    return ImportContext(
        entities=frozenset(entity.code for entity in load_org(session)),
        years=frozenset(reporting_years(session)),
        locks=locked_periods(session),
        catalog=catalog,
        existing_granularity=existing,
    )


def _current_state(session: Session, rows: pl.DataFrame) -> pl.DataFrame:
    """The newest revision of every observation in ``rows``, keyed like the rows."""
    selection = Selection(
        entities=rows["entity"].unique().to_list(),
        periods=rows["period_text"].unique().to_list(),
        indicators=rows["indicator"].unique().to_list(),
    )
    return _latest_state(session, selection).rename({"period": "period_text"})


def _latest_state(session: Session, selection: Selection) -> pl.DataFrame:
    """What the comparison needs of each selected observation's newest revision.

    Read as plain tuples a partition at a time into a frame: a re-import of a million
    rows compares against a million revisions without a million ORM objects.
    """
    query = select(*(getattr(Revision, name) for name in _LATEST)).where(
        Revision.id.in_(latest_ids(selection))
    )
    result = session.execute(query.execution_options(yield_per=_READ_CHUNK))
    parts = [pl.DataFrame(part, schema=_LATEST, orient="row") for part in result.partitions()]
    return pl.concat(parts) if parts else pl.DataFrame(schema=_LATEST)


def _changed_rows(rows: pl.DataFrame, current: pl.DataFrame) -> pl.DataFrame:
    """The rows that differ from their observation's current state, with its id as parent.

    Equal means the same value in the canonical unit (to 1e-12 relative), the same comment
    and the same quality; a deleted observation always differs.
    """
    joined = rows.select(*_ROW_KEY, *_WRITTEN).join(
        current, on=_ROW_KEY, how="left", maintain_order="left"
    )
    new, old = pl.col("canonical"), pl.col("canonical_value")
    close = (new == old) | ((new - old).abs() <= 1e-12 * pl.max_horizontal(new.abs(), old.abs()))
    same = (
        close.fill_null(False)
        & pl.col("comment").eq_missing(pl.col("comment_right"))
        & pl.col("quality").eq_missing(pl.col("quality_right"))
    )
    differs = pl.col("id").is_null() | pl.col("is_tombstone") | ~same
    return joined.filter(differs).rename({"id": "parent_id"})


def _revisions(changed: pl.DataFrame, status: str) -> pl.DataFrame:
    """The changed rows as revision columns, for :func:`bulk.append_frame`."""
    return changed.select(
        pl.col("parent_id"),
        pl.lit(None, pl.Int64).alias("origin_id"),
        pl.col("entity"),
        pl.col("period_text").alias("period"),
        pl.col("indicator"),
        pl.col("value_text").alias("value"),
        pl.col("given_unit").alias("unit"),
        pl.col("canonical").alias("canonical_value"),
        pl.col("indicator_unit").alias("canonical_unit"),
        pl.lit(status).alias("status"),
        pl.lit(False).alias("is_tombstone"),
        pl.lit(False).alias("restatement"),
        pl.col("quality"),
        pl.col("comment"),
        pl.col("sheet").alias("source_sheet"),
        pl.col("row").alias("source_row"),
    )
