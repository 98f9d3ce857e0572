"""Append many revisions at once, straight through the database driver.

:func:`revisions.append` takes a list of row dictionaries and inserts them through
SQLAlchemy, which is right for a form or a status change but costs several dictionaries
per row and, on PostgreSQL, one statement per row: for an import of a million rows that
was most of the time and several gigabytes. :func:`append_frame` takes the rows as a
polars frame instead and writes them a chunk at a time, each chunk hashed over whole
columns (``integrity.hash_revision_frame``) and handed to the driver as it is: one
``COPY ... FROM STDIN`` on PostgreSQL (psycopg 3), one ``executemany`` on SQLite. No
dictionary is built per row, and what Python holds at once is one chunk.

The rows land exactly as :func:`revisions.append` would write them: the same columns,
the same content hashes, ids in the frame's order, in the caller's transaction, so the
audit entry that follows seals them like any other changeset and a failure in any chunk
rolls back every chunk before it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from esgledger.ledger.chain import hold_write_lock, raise_if_fork
from esgledger.ledger.integrity import (
    CHANGESET_COLUMNS,
    REVISION_COLUMNS,
    changeset_hash,
    hash_revision_frame,
    revision_frame,
)
from esgledger.ledger.schema import Changeset

# Rows per chunk: large enough that per-chunk costs vanish, small enough that a chunk's
# Python objects (the hashed text, the driver's parameters) stay in the tens of megabytes.
CHUNK_ROWS = 50_000
INSERTED_COLUMNS = (*REVISION_COLUMNS, "content_hash")

Writer = Callable[[Any, pl.DataFrame], None]


def append_frame(session: Session, changeset: Changeset, frame: pl.DataFrame) -> int:
    """Insert the revisions in ``frame`` for ``changeset``; returns how many were written.

    ``frame`` holds every revision column but ``changeset_id`` (see
    ``integrity.REVISION_SCHEMA``), one row per revision in the order their ids are to
    follow. Each row's ``parent_id`` must be its observation's newest revision (null: the
    observation has none yet), as read under :func:`chain.hold_write_lock`, which this
    takes too; the single-chain indexes refuse anything else.

    Raises:
        ConflictError: a row would fork an observation's history (another program wrote
            past the write lock); nothing of the transaction may be committed.
    """
    if frame.is_empty():
        return 0
    hold_write_lock(session)
    header = changeset_hash({name: getattr(changeset, name) for name in CHANGESET_COLUMNS})
    raw = session.connection().connection.dbapi_connection
    write = _WRITERS[session.get_bind().dialect.name]
    try:
        for start in range(0, frame.height, CHUNK_ROWS):
            write(raw, _hashed_chunk(frame.slice(start, CHUNK_ROWS), changeset.id, header))
    except session.get_bind().dialect.dbapi.IntegrityError as exc:
        raise_if_fork(IntegrityError("bulk insert into revisions", None, exc))
        raise
    refresh_statistics(session, frame.height)
    return frame.height


def refresh_statistics(session: Session, written: int) -> None:
    """Have PostgreSQL sample the ledger's tables again after a large write, in the same
    transaction, so the first reads after an import are planned for the rows it brought.

    Autovacuum does the same once 50 + 10 % of a table's rows changed, but up to a minute
    later; until then a freshly loaded ledger is planned as if it were empty (a page of
    current values sorted out of a sequential scan in 16 ms instead of read off its index in
    1.3 ms). The threshold is autovacuum's own. SQLite plans without statistics unless
    ANALYZE was ever run, so nothing is done there.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    known = session.execute(
        text("SELECT reltuples FROM pg_class WHERE oid = to_regclass('revisions')")
    ).scalar_one()
    if written > ANALYZE_BASE + ANALYZE_FRACTION * max(known, 0):
        session.execute(text("ANALYZE revisions, current_values"))


ANALYZE_BASE, ANALYZE_FRACTION = 50, 0.1  # autovacuum_analyze_threshold and _scale_factor


def _hashed_chunk(part: pl.DataFrame, changeset_id: int, header: str) -> pl.DataFrame:
    """One chunk in the inserted columns' order, with its changeset and content hashes."""
    chunk = revision_frame(part.with_columns(changeset_id=pl.lit(changeset_id, pl.Int64)))
    hashes = hash_revision_frame(chunk, pl.Series([header] * chunk.height, dtype=pl.Utf8))
    return chunk.with_columns(content_hash=pl.Series(hashes, dtype=pl.Utf8))


def _copy_postgresql(raw: Any, chunk: pl.DataFrame) -> None:
    """COPY in CSV form: unquoted empty fields are NULL, and polars quotes empty texts.

    Floats are written as their shortest round-trip decimal, so the stored value is the
    hashed value to the bit.
    """
    statement = f"COPY revisions ({', '.join(INSERTED_COLUMNS)}) FROM STDIN (FORMAT csv)"
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        copy.write(chunk.write_csv(include_header=False))


def _executemany_sqlite(raw: Any, chunk: pl.DataFrame) -> None:
    columns = ", ".join(INSERTED_COLUMNS)
    marks = ", ".join("?" * len(INSERTED_COLUMNS))
    cursor = raw.cursor()
    try:
        cursor.executemany(f"INSERT INTO revisions ({columns}) VALUES ({marks})", chunk.rows())
    finally:
        cursor.close()


_WRITERS: dict[str, Writer] = {"postgresql": _copy_postgresql, "sqlite": _executemany_sqlite}
