"""Writing management registers: append-only records with a history, like observations.

A register (``materiality.topics``, ``safety.hazards``, ``permits.limits`` ...) is a set
of records, each named by a key. Nothing is updated in place: every change appends the
record's next version with all of its fields, and retiring a record appends a version
marked retired. Each call writes one audit entry that seals the versions it wrote, so the
register's history is as tamper-evident as the ledger's values.

The registers' own packages validate the fields (pydantic models, thresholds as data)
before they call this module; here a payload is only a JSON object. Reads go through
:mod:`esgledger.ledger.reads.records`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from esgledger.errors import ErrorKind, EsgError
from esgledger.ledger import audit, sealing
from esgledger.ledger.database import utcnow
from esgledger.ledger.schema import RecordVersion

TABLE = RecordVersion.__table__


class RecordConflict(EsgError):
    """Someone else changed the record since the writer read it."""


@dataclass(frozen=True)
class RecordChange:
    """One change to append: the record's key, its entity (when it has one) and fields.

    ``expected_version`` is the version the writer read (0 for a record it believes
    new): a stale edit is refused instead of silently overwriting a newer one.
    """

    key: str
    payload: Mapping[str, Any]
    entity: str | None = None
    retire: bool = False
    expected_version: int | None = None


def canonical_payload(payload: Mapping[str, Any]) -> str:
    """The stored text of a payload: sorted keys, no spaces, so equal fields hash equal."""
    return json.dumps(
        payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str
    )


@dataclass(frozen=True)
class WrittenRecord:
    """One version :func:`append_records` wrote, as stored (the columns of ``RecordVersion``)."""

    id: int
    register: str
    record_key: str
    version: int
    entity: str | None
    payload: str
    retired: bool
    author: str
    recorded_at: datetime
    reason: str | None


def append_records(
    session: Session,
    register: str,
    changes: Iterable[RecordChange],
    *,
    actor: str,
    action: str,
    reason: str | None = None,
) -> list[WrittenRecord]:
    """Append one version of each changed record and seal them with one audit entry.

    The versions go in with one multi-row ``INSERT ... RETURNING id`` and the audit entry
    seals them by reading them back a chunk of keys at a time (``sealing.seal_rows``), so
    a call with thousands of records costs a few statements, not one per record.

    Raises :class:`RecordConflict` when a change names an ``expected_version`` that is not
    the record's newest, or when a concurrent writer took the same version first.
    """
    changes = list(changes)
    rows = _version_rows(session, register, changes, actor, reason)
    ids = _insert_versions(session, register, rows)
    sealing.note_written(session, TABLE.name, [str(i) for i in ids])
    audit.record(
        session,
        actor,
        action,
        {"register": register, "records": [row["record_key"] for row in rows], "reason": reason},
    )
    return [WrittenRecord(id=i, **row) for i, row in zip(ids, rows, strict=True)]


def _version_rows(
    session: Session, register: str, changes: list[RecordChange], actor: str, reason: str | None
) -> list[dict[str, Any]]:
    """The rows to insert, each the next version of its record; a stale change is refused."""
    newest = _newest_versions(session, register, [change.key for change in changes])
    at = utcnow()
    rows = []
    for change in changes:
        current = newest.get(change.key, 0)
        if change.expected_version is not None and change.expected_version != current:
            raise _conflict(register, change.key, change.expected_version, current)
        newest[change.key] = current + 1
        rows.append(
            {
                "register": register,
                "record_key": change.key,
                "version": current + 1,
                "entity": change.entity,
                "payload": canonical_payload(change.payload),
                "retired": change.retire,
                "author": actor,
                "recorded_at": at,
                "reason": reason,
            }
        )
    return rows


def _insert_versions(session: Session, register: str, rows: list[dict[str, Any]]) -> list[int]:
    """Insert the rows in one executemany, returning their ids in the rows' order."""
    if not rows:
        return []
    session.flush()  # earlier ORM writes first, so the ids keep the order of the calls
    statement = insert(TABLE).returning(TABLE.c.id, sort_by_parameter_order=True)
    try:
        return list(session.scalars(statement, rows))
    except IntegrityError as error:
        # the unique (register, key, version) index: another writer appended first
        session.rollback()
        raise RecordConflict(
            f"a record of {register} was changed by someone else while you edited it; "
            "reload it and make the change again",
            code="records.conflict",
            params={"register": register},
        ) from error


def append_record(
    session: Session,
    register: str,
    change: RecordChange,
    *,
    actor: str,
    action: str,
    reason: str | None = None,
) -> WrittenRecord:
    """Append one version of one record (see :func:`append_records`)."""
    return append_records(session, register, [change], actor=actor, action=action, reason=reason)[0]


def _newest_versions(session: Session, register: str, keys: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        query = (
            select(RecordVersion.record_key, func.max(RecordVersion.version))
            .where(RecordVersion.register == register, RecordVersion.record_key.in_(chunk))
            .group_by(RecordVersion.record_key)
        )
        found.update({key: int(version) for key, version in session.execute(query)})
    return found


def _conflict(register: str, key: str, expected: int, current: int) -> RecordConflict:
    code = "records.taken" if expected == 0 else "records.stale"
    if expected == 0:
        message = f"{register} already holds a record {key!r}; open it and edit it instead"
    else:
        message = (
            f"record {key!r} of {register} is at version {current}, not {expected} as when "
            "you opened it: someone changed it meanwhile; reload it and make the change again"
        )
    return RecordConflict(
        message,
        kind=ErrorKind.USER,
        code=code,
        params={"register": register, "key": key, "expected": expected, "current": current},
    )
