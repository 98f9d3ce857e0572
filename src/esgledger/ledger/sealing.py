"""What an audit entry commits to: the hashes of the rows written with it (its *seal*).

A session remembers every changeset, entity, period lock, reporting year and snapshot it
flushes (a SQLAlchemy ``after_flush`` hook, so no write path can forget to); the next audit
entry seals them. For a changeset the seal holds the changeset's hash, the ids of its
revisions (as runs of consecutive ids) and a digest of their ``id:content_hash`` lines; for
a row of a small table it holds the row's hash, or ``null`` when the row was deleted.
``esgledger audit verify`` recomputes all of it from the rows as they are now.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import numpy as np
import polars as pl
from sqlalchemy import Connection, Table, event, select, tuple_
from sqlalchemy.orm import Session

from esgledger.errors import ErrorKind, EsgError
from esgledger.ledger.integrity import (
    REVISION_COLUMNS,
    REVISION_SCHEMA,
    changeset_hash,
    hash_revision_frame,
    id_ranges,
    revision_frame,
    row_hash,
    sequence_digest,
)
from esgledger.ledger.schema import (
    Changeset,
    EntityRow,
    PeriodLock,
    RecordVersion,
    ReportingYear,
    Revision,
    Snapshot,
    StoredFile,
)

# The small tables whose rows are sealed, by table name; the key is the primary key.
SEALED_TABLES: dict[str, Table] = {
    model.__table__.name: model.__table__  # type: ignore[attr-defined]
    for model in (EntityRow, PeriodLock, ReportingYear, Snapshot, RecordVersion, StoredFile)
}
_PENDING = "esgledger.unsealed"
_SEALED_CLASSES = (
    Changeset,
    EntityRow,
    PeriodLock,
    ReportingYear,
    Snapshot,
    RecordVersion,
    StoredFile,
)


@event.listens_for(Session, "after_flush")
def _remember_written_rows(session: Session, _context: Any) -> None:
    """Note every sealed row this flush wrote; ``new``/``dirty``/``deleted`` are pre-flush."""
    pending: set[tuple[str, str]] = session.info.setdefault(_PENDING, set())
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, _SEALED_CLASSES):
            table = obj.__table__  # type: ignore[attr-defined]
            key = "|".join(str(getattr(obj, c.key)) for c in table.primary_key.columns)
            pending.add((table.name, key))


@event.listens_for(Session, "before_commit")
def _refuse_unsealed_writes(session: Session) -> None:
    """A write that no audit entry sealed would later read as tampering: stop it here."""
    session.flush()
    if session.info.get(_PENDING):
        unsealed = sorted(session.info.pop(_PENDING))
        raise EsgError(
            f"ledger rows written without an audit entry: {unsealed[:5]}", kind=ErrorKind.BUG
        )


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back_rows(session: Session) -> None:
    session.info.pop(_PENDING, None)


def note_written(session: Session, table: str, keys: Iterable[str]) -> None:
    """Remember rows written with a Core statement (which the flush hook does not see), so
    that the next audit entry seals them and a commit without one is refused."""
    if table not in SEALED_TABLES:
        raise EsgError(f"{table} is not a sealed table", kind=ErrorKind.BUG)
    pending: set[tuple[str, str]] = session.info.setdefault(_PENDING, set())
    pending.update((table, key) for key in keys)


def take_pending(session: Session) -> set[tuple[str, str]]:
    """The rows written since the last seal, forgetting them (the caller seals them)."""
    return session.info.pop(_PENDING, set())


def build_seal(connection: Connection, written: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """The seal of the given (table, key) rows as they now stand in the database.

    Rows of a small table are read a chunk of keys at a time (:func:`seal_rows`), so that
    sealing ten thousand register records costs a few statements, not ten thousand.
    """
    changesets: dict[str, Any] = {}
    keys: dict[str, list[str]] = {}
    for table, key in sorted(written):
        if table == "changesets":
            changesets[key] = seal_changeset(connection, int(key))
        else:
            keys.setdefault(table, []).append(key)
    rows = {
        table: seal_rows(connection, SEALED_TABLES[table], held) for table, held in keys.items()
    }
    return {"changesets": changesets, "rows": rows}


def seal_changeset(connection: Connection, changeset_id: int) -> dict[str, Any]:
    """A changeset's hash and the ids and digest of the revisions it holds."""
    header = connection.execute(select(Changeset.__table__).where(Changeset.id == changeset_id))
    found = header.mappings().first()
    held = connection.execute(
        select(Revision.id, Revision.content_hash)
        .where(Revision.changeset_id == changeset_id)
        .order_by(Revision.id)
    ).all()
    ids = np.fromiter((row[0] for row in held), dtype=np.int64, count=len(held))
    return {
        "hash": changeset_hash(found) if found else None,
        "revisions": id_ranges(ids),
        "count": len(held),
        "digest": sequence_digest(ids.tolist(), [row[1] for row in held]),
    }


def seal_row(connection: Connection, table: Table, key: str) -> str | None:
    """The hash of one row of a small table, or None when it no longer exists."""
    return seal_rows(connection, table, [key])[key]


def seal_rows(connection: Connection, table: Table, keys: Iterable[str]) -> dict[str, str | None]:
    """The hash of each keyed row of a small table (None for a row that no longer exists).

    One ``SELECT ... WHERE key IN (...)`` per chunk of keys. A key is matched by the typed
    values of its primary-key columns, as the database compares them, exactly as a lookup
    of that one row would; the seal keeps the key as it was written.
    """
    columns = list(table.primary_key.columns)
    wanted = {key: _typed_key(columns, key) for key in keys}
    found: dict[tuple[Any, ...], str] = {}
    values = sorted(set(wanted.values()))
    for start in range(0, len(values), _KEYS_PER_QUERY):
        chunk = values[start : start + _KEYS_PER_QUERY]
        for row in connection.execute(select(table).where(_key_in(columns, chunk))).mappings():
            found[tuple(row[c.name] for c in columns)] = row_hash(table.name, row)
    return {key: found.get(typed) for key, typed in wanted.items()}


# Keys per statement: a composite key binds one parameter per column, and SQLite allows
# 32,766 bound parameters (PostgreSQL 65,535).
_KEYS_PER_QUERY = 2000


def _typed_key(columns: list[Any], key: str) -> tuple[Any, ...]:
    values = key.split("|")
    return tuple(c.type.python_type(v) for c, v in zip(columns, values, strict=True))


def _key_in(columns: list[Any], chunk: list[tuple[Any, ...]]) -> Any:
    if len(columns) == 1:
        return columns[0].in_([values[0] for values in chunk])
    return tuple_(*columns).in_(chunk)


def all_keys(connection: Connection, tables: Mapping[str, Table]) -> set[tuple[str, str]]:
    """Every changeset and sealed row that exists: what a baseline entry seals."""
    keys = {("changesets", str(i)) for i in connection.scalars(select(Changeset.id))}
    for name, table in tables.items():
        for row in connection.execute(select(*table.primary_key.columns)):
            keys.add((name, "|".join(str(v) for v in row)))
    return keys


def key_of(table: Table, row: Mapping[str, Any]) -> str:
    """A row's key as seals write it."""
    return "|".join(str(row[c.name]) for c in table.primary_key.columns)


def changeset_hashes(connection: Connection) -> dict[int, str]:
    """Every changeset's hash recomputed from its row as it is now."""
    rows = connection.execute(select(Changeset.__table__)).mappings()
    return {row["id"]: changeset_hash(row) for row in rows}


def revision_chunks(
    connection: Connection, headers: Mapping[int, str], size: int = 200_000
) -> Iterator[tuple[pl.DataFrame, list[str]]]:
    """Revisions in id order, a chunk at a time: their id, changeset, stored hash and key,
    and the hash each row's current content gives, computed over the chunk at once."""
    columns = [Revision.id, Revision.content_hash] + [
        getattr(Revision, name) for name in REVISION_COLUMNS
    ]
    schema = {"id": pl.Int64, "content_hash": pl.Utf8, **REVISION_SCHEMA}
    after = -1
    while True:
        # keyset pages, not an open cursor: the caller may write between chunks
        query = select(*columns).where(Revision.id > after).order_by(Revision.id).limit(size)
        part = connection.execute(query).all()
        if not part:
            return
        frame = pl.DataFrame(part, schema=schema, orient="row")
        header = frame["changeset_id"].replace_strict(
            dict(headers), default="", return_dtype=pl.Utf8
        )
        recomputed = hash_revision_frame(revision_frame(frame), header)
        yield (
            frame.select("id", "changeset_id", "content_hash", "entity", "period", "indicator"),
            recomputed,
        )
        after = int(frame["id"][-1])
