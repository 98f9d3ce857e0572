"""Every observation's history is one chain: one root, and at most one successor per revision.

Two writers that read the same current revision and each append a successor would fork
that history (and lose one of the updates). Three guards keep the chain single, from the
outside in:

1. :func:`hold_write_lock`: writers of revisions take turns. PostgreSQL locks the table
   in SHARE ROW EXCLUSIVE mode, which conflicts with itself and with inserts but never
   with readers; SQLite starts the transaction with ``BEGIN IMMEDIATE``, its one write
   lock. What a writer reads after taking the lock stays current until it commits.
2. :func:`refuse_stale`: compare-and-set under that lock. Each new revision's parent must
   still be its observation's newest revision (nothing points to it yet), and a new
   observation must still have no revision at all; otherwise nothing is written and the
   caller gets a :class:`ConflictError` (HTTP 409) saying to reload.
3. The database (migration 0004): a unique index on ``revisions.parent_id`` and a unique
   partial index on (entity, period, indicator) where ``parent_id`` is null. A write that
   slips past the first two (another program on the database, a bug) fails there, and
   :func:`raise_if_fork` turns that failure into the same :class:`ConflictError`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar

from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from esgledger.errors import EsgError, Phrase
from esgledger.ledger.schema import Revision

# Bound parameters per statement, well under SQLite's 32,766 and PostgreSQL's 65,535.
CHUNK = 5000
_T = TypeVar("_T")
Key = tuple[str, str, str]


class ConflictError(EsgError):
    """Someone else changed a value after it was read; nothing was written (HTTP 409)."""

    def __init__(self, message: str, indicators: Sequence[str] = (), **coded: Any) -> None:
        super().__init__(message, **coded)
        self.indicators = list(indicators)

    @classmethod
    def about(cls, indicators: Sequence[str], code: str, /, **params: object) -> ConflictError:
        """The coded error naming the ``indicators`` that changed (a form marks them)."""
        error = cls.coded(code, **params)
        error.indicators = list(indicators)
        return error


def hold_write_lock(session: Session, table: str = "revisions") -> None:
    """Make the rest of this transaction the only writer of ``table`` until it ends.

    Cheap to call again in the same transaction. Readers never wait for it. On SQLite the
    lock is the whole database's, whatever the table.
    """
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(text(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE"))
    elif dialect == "sqlite":
        raw = session.connection().connection.dbapi_connection
        # pysqlite opens a deferred transaction only before its first write; one already
        # open has written, and so already holds the write lock.
        if raw is not None and not raw.in_transaction:
            session.execute(text("BEGIN IMMEDIATE"))


def refuse_stale(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Compare-and-set: refuse rows whose parent is no longer the newest revision.

    Call under :func:`hold_write_lock`. A row with ``parent_id`` None starts an
    observation, which must then have no revision yet.

    Raises:
        ConflictError: naming the observations that changed meanwhile; nothing is written.
    """
    parents = [row["parent_id"] for row in rows if row.get("parent_id") is not None]
    superseded: set[int] = set()
    for chunk in _chunks(parents):
        found = session.scalars(select(Revision.parent_id).where(Revision.parent_id.in_(chunk)))
        superseded.update(p for p in found if p is not None)
    started = _started(session, {_key(row) for row in rows if row.get("parent_id") is None})
    stale = [
        row
        for row in rows
        if (row.get("parent_id") in superseded)
        or (row.get("parent_id") is None and _key(row) in started)
    ]
    if stale:
        raise changed_meanwhile([_key(row) for row in stale])


def raise_if_fork(exc: IntegrityError) -> None:
    """Turn a violation of the single-chain indexes into a :class:`ConflictError`.

    Any other integrity error (a foreign key, say) is a bug and is left to propagate.
    """
    orig = exc.orig
    unique = getattr(orig, "sqlstate", None) == "23505" or (
        getattr(orig, "sqlite_errorname", None) == "SQLITE_CONSTRAINT_UNIQUE"
    )
    if unique and "revisions" in str(orig):
        raise changed_meanwhile([]) from None


def changed_meanwhile(keys: Sequence[Key]) -> ConflictError:
    """The one message for a write that lost the race, naming what it can."""
    named = ", ".join(" ".join(key) for key in keys[:5])
    more = Phrase.of("workflow.more", count=len(keys) - 5) if len(keys) > 5 else ""
    what = Phrase.of("workflow.named", named=named, more=more) if keys else ""
    count = len(keys) or Phrase.of("workflow.some")
    indicators = sorted({key[2] for key in keys})
    return ConflictError.about(indicators, "workflow.changed_meanwhile", count=count, what=what)


def _started(session: Session, keys: set[Key]) -> set[Key]:
    """Which of these observations already have a first revision (the root index's rows)."""
    if not keys:
        return set()
    periods = sorted({k[1] for k in keys})
    indicators = sorted({k[2] for k in keys})
    found: set[Key] = set()
    for entities in _chunks(sorted({k[0] for k in keys})):
        query = select(Revision.entity, Revision.period, Revision.indicator).where(
            Revision.parent_id.is_(None),
            Revision.entity.in_(entities),
            Revision.period.in_(periods),
            Revision.indicator.in_(indicators),
        )
        found.update((e, p, i) for e, p, i in session.execute(query))
    return found & keys


def _key(row: dict[str, Any]) -> Key:
    return (row["entity"], row["period"], row["indicator"])


def _chunks(items: Iterable[_T]) -> Iterator[list[_T]]:
    batch: list[_T] = []
    for item in items:
        batch.append(item)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch
