"""Verify the ledger against its audit log: the chain, the data it seals, the checkpoints.

1. The chain (``audit.py``): every entry's hash and its link to the one before.
2. The data: every changeset, revision and sealed row is recomputed from its current
   contents and compared with its stored hash and with what the sealing entry committed
   to, so that an edited, deleted or inserted row is named.
3. The current values: ``current_values`` must hold each observation's newest revision.
4. The head: each checkpoint given (an exported file) and each one embedded in a snapshot
   must name an entry that exists with that hash and that revision count; otherwise the
   tail was cut off or the chain rewritten.

Revisions are read in chunks and hashed a chunk at a time (``sealing.revision_chunks``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from esgledger.errors import Phrase
from esgledger.ledger import sealing, verify_data
from esgledger.ledger.audit import entry_problem
from esgledger.ledger.breaks import (
    EDITED_ENTRY,
    EDITED_ROW,
    FORGED,
    INSERTED_ROW,
    MISSING_ENTRY,
    MISSING_ROW,
    REWRITTEN,
    TRUNCATED,
    Break,
    SealedState,
)
from esgledger.ledger.checkpoint import Checkpoint, CheckpointError, parse
from esgledger.ledger.current_values import current_value_breaks
from esgledger.ledger.schema import AuditEntry, Snapshot

__all__ = [
    "EDITED_ENTRY",
    "EDITED_ROW",
    "FORGED",
    "INSERTED_ROW",
    "MISSING_ENTRY",
    "MISSING_ROW",
    "REWRITTEN",
    "TRUNCATED",
    "Break",
    "Verification",
    "verify_ledger",
]


@dataclass(frozen=True)
class Verification:
    """The result: the chain's length and head, the revisions read, every break found."""

    entries: int
    head_id: int
    head_hash: str
    revisions: int
    checkpoints: int
    breaks: tuple[Break, ...]

    @property
    def ok(self) -> bool:
        return not self.breaks

    @property
    def broken_at(self) -> int | None:
        """The first audit entry that does not verify, when the break is in the log itself."""
        first = next((b for b in self.breaks if b.table == "audit_log"), None)
        return int(first.row) if first else None

    @property
    def problem(self) -> str | None:
        """The first break in words, or None."""
        return str(self.breaks[0]) if self.breaks else None


def verify_ledger(
    session: Session, checkpoints: Sequence[Checkpoint] = (), key: bytes | None = None
) -> Verification:
    """Check everything; ``key`` also checks the signatures of the checkpoints.

    Reads through a session of its own that sees one moment of the database, so that a
    write committed while verifying cannot look like an inserted row. What ``session``
    has written and not committed is not seen.
    """
    with _one_moment(session) as own:
        return _verify(own, checkpoints, key)


@contextmanager
def _one_moment(session: Session) -> Iterator[Session]:
    """REPEATABLE READ on PostgreSQL; on SQLite, a read transaction begun at once."""
    bind = session.get_bind()
    with Session(bind) as own, own.begin():
        if bind.dialect.name == "postgresql":
            own.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        elif bind.dialect.name == "sqlite":
            own.execute(text("BEGIN"))  # the driver would otherwise read statement by statement
        yield own


def _verify(session: Session, checkpoints: Sequence[Checkpoint], key: bytes | None) -> Verification:
    chain = _walk_chain(session)
    connection = session.connection()
    breaks = list(chain.breaks)
    embedded = _snapshot_checkpoints(session, breaks)
    for checkpoint in (*checkpoints, *embedded):
        breaks.extend(_checkpoint_breaks(chain, checkpoint, key))
    headers = sealing.changeset_hashes(connection)
    breaks.extend(verify_data.changeset_breaks(chain, headers))
    revision_breaks, revisions = verify_data.revision_breaks(connection, chain, headers)
    breaks.extend(revision_breaks)
    breaks.extend(verify_data.row_breaks(connection, chain))
    breaks.extend(current_value_breaks(connection))
    head_id = max(chain.hashes, default=0)
    counted = len(checkpoints) + len(embedded)
    return Verification(
        len(chain.hashes), head_id, chain.head_hash, revisions, counted, tuple(breaks)
    )


def _walk_chain(session: Session) -> SealedState:
    chain, expected_id, total = SealedState(), 1, 0
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id)):
        problem = entry_problem(entry, chain.head_hash, expected_id)
        if problem and not any(b.table == "audit_log" for b in chain.breaks):
            kind = MISSING_ENTRY if entry.id != expected_id else EDITED_ENTRY
            chain.breaks.append(Break(kind, "audit_log", str(entry.id), problem))
        seal = _parsed_seal(entry)
        total += _remember_seal(chain, entry.id, seal)
        chain.hashes[entry.id] = entry.entry_hash
        chain.sealed_revisions[entry.id] = total
        chain.head_hash, expected_id = entry.entry_hash, entry.id + 1
    return chain


def _parsed_seal(entry: AuditEntry) -> dict[str, Any]:
    try:
        return json.loads(entry.seal) if entry.seal else {}
    except ValueError:  # a mangled seal: the entry's hash no longer matches and says so
        return {}


def _remember_seal(chain: SealedState, entry_id: int, seal: dict[str, Any]) -> int:
    """Record what one entry sealed; returns how many revisions it committed to."""
    count = 0
    for key, sealed in seal.get("changesets", {}).items():
        chain.changesets[int(key)] = (entry_id, sealed)
        count += int(sealed.get("count", 0))
    for table, rows in seal.get("rows", {}).items():
        for key, digest in rows.items():
            chain.rows[(table, key)] = (entry_id, digest)
    return count


def _checkpoint_breaks(
    chain: SealedState, checkpoint: Checkpoint, key: bytes | None
) -> list[Break]:
    """A checkpoint must be genuine and name an entry that exists with its hash and count."""
    where = f"checkpoint of {checkpoint.at}"
    if key is not None and not checkpoint.signature_matches(key):
        why = "it is not signed" if checkpoint.signature is None else "its signature is wrong"
        return [Break(FORGED, "checkpoint", checkpoint.at, f"{why} for the configured key")]
    stored = chain.hashes.get(checkpoint.entry_id)
    sealed = chain.sealed_revisions.get(checkpoint.entry_id, 0)
    if stored is None:
        last = max(chain.hashes, default=0)
        kind, detail = (
            TRUNCATED,
            f"the {where} names entry {checkpoint.entry_id}, but the log ends at entry "
            f"{last}: entries {last + 1}..{checkpoint.entry_id} were deleted",
        )
    elif stored != checkpoint.head_hash:
        kind, detail = (
            REWRITTEN,
            f"its hash {stored[:16]}… is not the {checkpoint.head_hash[:16]}… of the "
            f"{where}: the chain was rewritten up to here",
        )
    elif sealed != checkpoint.revisions:
        kind, detail = (
            REWRITTEN,
            f"the entries up to here seal {sealed} revisions, the {where} counted "
            f"{checkpoint.revisions}",
        )
    else:
        return []
    return [Break(kind, "audit_log", str(checkpoint.entry_id), detail)]


def _snapshot_checkpoints(session: Session, breaks: list[Break]) -> list[Checkpoint]:
    found = []
    for snapshot_id, stored in session.execute(
        select(Snapshot.id, Snapshot.audit_checkpoint).where(Snapshot.audit_checkpoint.is_not(None))
    ):
        try:
            found.append(parse(stored, Phrase.of("checkpoint.snapshot", id=snapshot_id)))
        except CheckpointError as exc:  # an edited snapshot row: report it, keep verifying
            breaks.append(Break(EDITED_ROW, "snapshots", str(snapshot_id), exc.message))
    return found
