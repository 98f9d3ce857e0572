"""The audit log: every write, hash-chained so that editing past entries is detected.

Each entry's hash covers its own id, time, actor, action and detail, its *seal* (the
hashes of the data rows written with it, ``sealing.py``) and the previous entry's hash.
Changing, deleting or reordering any past entry breaks the chain at that point, which
:func:`verify_chain` reports; ``verify.py`` also recomputes the data the seals commit to.
Cutting entries off the end, or recomputing every hash after an edit, is caught against a
checkpoint kept outside the database (``checkpoint.py``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.ledger import chain, sealing
from esgledger.ledger.database import utcnow
from esgledger.ledger.schema import AuditEntry

GENESIS_HASH = "0" * 64


def entry_hash(
    entry_id: int, at: str, actor: str, action: str, detail: str, prev: str, seal: str | None
) -> str:
    """The chained hash of one entry; the canonical text is fixed so hashes are stable.

    Entries written before seals existed (``seal`` empty) keep the hash they were given.
    """
    fields: list[Any] = [entry_id, at, actor, action, detail, prev]
    if seal is not None:
        fields.append(seal)
    canonical = json.dumps(fields, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def record(session: Session, actor: str, action: str, detail: dict[str, Any]) -> AuditEntry:
    """Append one entry to the log inside the caller's transaction.

    The entry seals every changeset and sealed row the session wrote since the last entry.
    """
    session.flush()
    seal = json.dumps(
        sealing.build_seal(session.connection(), sealing.take_pending(session)),
        sort_keys=True,
        separators=(",", ":"),
    )
    # Held to the end of the transaction, so the last entry read next is still the last
    # when this one is inserted: two writers never chain onto the same entry.
    chain.hold_write_lock(session, "audit_log")
    last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).first()
    entry_id = (last.id + 1) if last else 1
    prev = last.entry_hash if last else GENESIS_HASH
    at = utcnow()
    detail_text = json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str)
    entry = AuditEntry(
        id=entry_id,
        at=at,
        actor=actor,
        action=action,
        detail=detail_text,
        prev_hash=prev,
        seal=seal,
        entry_hash=entry_hash(entry_id, at.isoformat(), actor, action, detail_text, prev, seal),
    )
    session.add(entry)
    session.flush()
    return entry


@dataclass(frozen=True)
class ChainCheck:
    """What verifying the chain found: the number of entries, the head, the first break."""

    entries: int
    head_hash: str
    broken_at: int | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify_chain(session: Session) -> ChainCheck:
    """Recompute every hash in order and report the first entry that does not match."""
    prev, expected_id, count = GENESIS_HASH, 1, 0
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id)):
        problem = entry_problem(entry, prev, expected_id)
        if problem:
            return ChainCheck(count, prev, broken_at=entry.id, problem=problem)
        prev, expected_id, count = entry.entry_hash, entry.id + 1, count + 1
    return ChainCheck(count, prev)


def hash_of(entry: AuditEntry) -> str:
    """The hash an entry's stored fields give now (equal to its ``entry_hash`` if untouched)."""
    return entry_hash(
        entry.id,
        entry.at.isoformat(),
        entry.actor,
        entry.action,
        entry.detail,
        entry.prev_hash,
        entry.seal,
    )


def entry_problem(entry: AuditEntry, prev: str, expected_id: int) -> str | None:
    if entry.id != expected_id:
        return f"entry {expected_id} is missing (the next entry is {entry.id})"
    if entry.prev_hash != prev:
        return "its link to the previous entry does not match: an earlier entry was changed"
    if hash_of(entry) != entry.entry_hash:
        return "its content no longer matches its hash: the entry was changed"
    return None
