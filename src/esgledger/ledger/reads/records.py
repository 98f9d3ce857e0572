"""Reading management registers: the current state of each record and its history.

A report shows registers as they stood at one moment (:func:`reading_as_of`), so that
rebuilding it later from the same ledger prints the same sections even after the registers
moved on; records are append-only, so that moment's state can always be read back.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import polars as pl
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from esgledger.ledger.schema import RecordVersion


@dataclass(frozen=True)
class RecordView:
    """One version of a record, its payload decoded."""

    register: str
    key: str
    version: int
    entity: str | None
    payload: dict[str, Any]
    retired: bool
    author: str
    recorded_at: datetime
    reason: str | None
    row_id: int


_AS_OF = "esgledger.records_as_of"


@contextmanager
def reading_as_of(session: Session, moment: datetime) -> Iterator[None]:
    """Within the block, every register read on ``session`` sees only the versions
    recorded at or before ``moment``.

    A session setting rather than a parameter: a report reads four registers through
    dozens of functions of their packages, and each of them must see the same moment.
    """
    if _AS_OF in session.info:  # nesting would silently replace the outer moment
        raise RuntimeError("register reads are already pinned to a moment on this session")
    session.info[_AS_OF] = moment
    try:
        yield
    finally:
        del session.info[_AS_OF]


def newest_change(session: Session, prefixes: Collection[str]) -> datetime | None:
    """When a record of a register named with one of ``prefixes`` last changed (None: never)."""
    named = or_(*(RecordVersion.register.startswith(prefix) for prefix in prefixes))
    return session.scalar(select(func.max(RecordVersion.recorded_at)).where(named))


def _as_of_filter(session: Session, query):
    moment = session.info.get(_AS_OF)
    return query if moment is None else query.where(RecordVersion.recorded_at <= moment)


def _view(row: RecordVersion) -> RecordView:
    return RecordView(
        register=row.register,
        key=row.record_key,
        version=row.version,
        entity=row.entity,
        payload=json.loads(row.payload),
        retired=row.retired,
        author=row.author,
        recorded_at=row.recorded_at,
        reason=row.reason,
        row_id=row.id,
    )


def current_records(
    session: Session,
    register: str,
    *,
    entities: Collection[str] | None = None,
    keys: Collection[str] | None = None,
    include_retired: bool = False,
) -> list[RecordView]:
    """The newest version of every record of ``register``, in key order.

    ``entities`` limits the answer to records of those entities (a reporter's scope);
    retired records are left out unless asked for.
    """
    newest = (
        select(RecordVersion.record_key, func.max(RecordVersion.version).label("version"))
        .where(RecordVersion.register == register)
        .group_by(RecordVersion.record_key)
    )
    newest = _as_of_filter(session, newest)
    if keys is not None:
        newest = newest.where(RecordVersion.record_key.in_(list(keys)))
    newest_q = newest.subquery()
    query = (
        select(RecordVersion)
        .join(
            newest_q,
            (RecordVersion.record_key == newest_q.c.record_key)
            & (RecordVersion.version == newest_q.c.version),
        )
        .where(RecordVersion.register == register)
    )
    if entities is not None:
        query = query.where(RecordVersion.entity.in_(list(entities)))
    if not include_retired:
        query = query.where(RecordVersion.retired.is_(False))
    return [_view(row) for row in session.scalars(query.order_by(RecordVersion.record_key))]


def current_record(session: Session, register: str, key: str) -> RecordView | None:
    """The newest version of one record (retired or not), or None when there is none."""
    found = current_records(session, register, keys=[key], include_retired=True)
    return found[0] if found else None


def record_history(session: Session, register: str, key: str) -> list[RecordView]:
    """Every version of one record, oldest first: who changed what, when and why."""
    query = select(RecordVersion).where(
        RecordVersion.register == register, RecordVersion.record_key == key
    )
    query = _as_of_filter(session, query).order_by(RecordVersion.version)
    return [_view(row) for row in session.scalars(query)]


@dataclass(frozen=True)
class FieldChange:
    """One field that a version changed: its value before (None when new) and after."""

    field: str
    before: Any
    after: Any


def field_changes(before: dict[str, Any] | None, after: dict[str, Any]) -> list[FieldChange]:
    """The fields whose value differs between two payloads (every field of a first
    version), in the order of the newer payload, then those it dropped."""
    before = before or {}
    changed = [FieldChange(k, before.get(k), v) for k, v in after.items() if before.get(k) != v]
    dropped = [FieldChange(k, v, None) for k, v in before.items() if k not in after]
    return changed + dropped


def records_frame(records: list[RecordView], fields: Collection[str]) -> pl.DataFrame:
    """The named payload fields of ``records`` as columns beside key, entity and version,
    for computing over a whole register at once (scores, rates, counts)."""
    columns: dict[str, list[Any]] = {"key": [], "entity": [], "version": []}
    columns.update({name: [] for name in fields})
    for record in records:
        columns["key"].append(record.key)
        columns["entity"].append(record.entity)
        columns["version"].append(record.version)
        for name in fields:
            columns[name].append(record.payload.get(name))
    return pl.DataFrame(columns, strict=False)
