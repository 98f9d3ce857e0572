"""Verify the ledger against its audit log: the chain, the data it seals, the checkpoints.

1. The chain (``audit.py``): every entry's hash and its link to the one before.
2. The data: every changeset, revision and sealed row is recomputed from its current
   contents and compared with its stored hash and with what the sealing entry committed
   to, so that an edited, deleted or inserted row is named.
3. The head: each checkpoint given (an exported file) and each one embedded in a snapshot
   must name an entry that exists with that hash and that revision count; otherwise the
   tail was cut off or the chain rewritten.

Revisions are read in chunks and hashed a chunk at a time (``sealing.revision_chunks``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from esgledger.ledger import sealing
from esgledger.ledger.audit import GENESIS_HASH, entry_problem
from esgledger.ledger.checkpoint import Checkpoint, CheckpointError, parse
from esgledger.ledger.integrity import expand_ranges, row_hash
from esgledger.ledger.schema import AuditEntry, Snapshot

EDITED_ENTRY = "edited entry"
MISSING_ENTRY = "missing entry"
EDITED_ROW = "edited data row"
INSERTED_ROW = "inserted row"
MISSING_ROW = "missing row"
TRUNCATED = "truncated tail"
REWRITTEN = "rewritten chain"
FORGED = "forged checkpoint"


@dataclass(frozen=True)
class Break:
    """One thing that does not verify: what kind, which row, and what differs."""

    kind: str
    table: str
    row: str
    detail: str

    def __str__(self) -> str:
        return f"{self.table} {self.row}: {self.kind}: {self.detail}"


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


@dataclass
class _Chain:
    """What walking the log gathers: entry hashes, and what each seal committed to."""

    hashes: dict[int, str] = field(default_factory=dict)
    sealed_revisions: dict[int, int] = field(default_factory=dict)
    changesets: dict[int, tuple[int, dict[str, Any]]] = field(default_factory=dict)
    rows: dict[tuple[str, str], tuple[int, str | None]] = field(default_factory=dict)
    breaks: list[Break] = field(default_factory=list)
    head_hash: str = GENESIS_HASH


def verify_ledger(
    session: Session, checkpoints: Sequence[Checkpoint] = (), key: bytes | None = None
) -> Verification:
    """Check everything; ``key`` also checks the signatures of the checkpoints."""
    chain = _walk_chain(session)
    connection = session.connection()
    breaks = list(chain.breaks)
    embedded = _snapshot_checkpoints(session, breaks)
    for checkpoint in (*checkpoints, *embedded):
        breaks.extend(_checkpoint_breaks(chain, checkpoint, key))
    headers = sealing.changeset_hashes(connection)
    breaks.extend(_changeset_breaks(chain, headers))
    revision_breaks, revisions = _revision_breaks(connection, chain, headers)
    breaks.extend(revision_breaks)
    breaks.extend(_row_breaks(connection, chain))
    head_id = max(chain.hashes, default=0)
    counted = len(checkpoints) + len(embedded)
    return Verification(
        len(chain.hashes), head_id, chain.head_hash, revisions, counted, tuple(breaks)
    )


def _walk_chain(session: Session) -> _Chain:
    chain, expected_id, total = _Chain(), 1, 0
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


def _remember_seal(chain: _Chain, entry_id: int, seal: dict[str, Any]) -> int:
    """Record what one entry sealed; returns how many revisions it committed to."""
    count = 0
    for key, sealed in seal.get("changesets", {}).items():
        chain.changesets[int(key)] = (entry_id, sealed)
        count += int(sealed.get("count", 0))
    for table, rows in seal.get("rows", {}).items():
        for key, digest in rows.items():
            chain.rows[(table, key)] = (entry_id, digest)
    return count


def _checkpoint_breaks(chain: _Chain, checkpoint: Checkpoint, key: bytes | None) -> list[Break]:
    where = f"checkpoint of {checkpoint.at}"
    if key is not None and not checkpoint.signature_matches(key):
        why = "it is not signed" if checkpoint.signature is None else "its signature is wrong"
        return [Break(FORGED, "checkpoint", checkpoint.at, f"{why} for the configured key")]
    stored = chain.hashes.get(checkpoint.entry_id)
    if stored is None:
        last = max(chain.hashes, default=0)
        return [
            Break(
                TRUNCATED,
                "audit_log",
                str(checkpoint.entry_id),
                f"the {where} names entry {checkpoint.entry_id}, but the log ends at entry "
                f"{last}: entries {last + 1}..{checkpoint.entry_id} were deleted",
            )
        ]
    if stored != checkpoint.head_hash:
        return [
            Break(
                REWRITTEN,
                "audit_log",
                str(checkpoint.entry_id),
                f"its hash {stored[:16]}… is not the {checkpoint.head_hash[:16]}… of the "
                f"{where}: the chain was rewritten up to here",
            )
        ]
    sealed = chain.sealed_revisions.get(checkpoint.entry_id, 0)
    if sealed != checkpoint.revisions:
        return [
            Break(
                REWRITTEN,
                "audit_log",
                str(checkpoint.entry_id),
                f"the entries up to here seal {sealed} revisions, the {where} counted "
                f"{checkpoint.revisions}",
            )
        ]
    return []


def _snapshot_checkpoints(session: Session, breaks: list[Break]) -> list[Checkpoint]:
    found = []
    for snapshot_id, text in session.execute(
        select(Snapshot.id, Snapshot.audit_checkpoint).where(Snapshot.audit_checkpoint.is_not(None))
    ):
        try:
            found.append(parse(text, f"snapshot {snapshot_id}"))
        except CheckpointError as exc:  # an edited snapshot row: report it, keep verifying
            breaks.append(Break(EDITED_ROW, "snapshots", str(snapshot_id), exc.message))
    return found


def _changeset_breaks(chain: _Chain, headers: dict[int, str]) -> list[Break]:
    breaks = []
    for changeset_id in sorted(headers.keys() | chain.changesets.keys()):
        sealed = chain.changesets.get(changeset_id)
        where = str(changeset_id)
        if sealed is None:
            breaks.append(Break(INSERTED_ROW, "changesets", where, "no audit entry sealed it"))
        elif changeset_id not in headers:
            breaks.append(
                Break(MISSING_ROW, "changesets", where, f"audit entry {sealed[0]} sealed it")
            )
        elif headers[changeset_id] != sealed[1].get("hash"):
            breaks.append(
                Break(
                    EDITED_ROW,
                    "changesets",
                    where,
                    "its author, time, action, reason or source file differs from what "
                    f"audit entry {sealed[0]} sealed",
                )
            )
    return breaks


def _revision_breaks(
    connection: Connection, chain: _Chain, headers: dict[int, str]
) -> tuple[list[Break], int]:
    """Rows whose content changed, rows no seal names or that are gone, rewritten digests."""
    breaks: list[Break] = []
    edited: set[int] = set()
    digests: dict[int, Any] = {}
    ids_seen: list[np.ndarray] = []
    sets_seen: list[np.ndarray] = []
    for frame, recomputed in sealing.revision_chunks(connection, headers):
        ids, sets = frame["id"].to_numpy(), frame["changeset_id"].to_numpy()
        ids_seen.append(ids)
        sets_seen.append(sets)
        stored = frame["content_hash"].to_list()
        for index, (old, new) in enumerate(zip(stored, recomputed, strict=True)):
            if old != new:
                row = frame.row(index, named=True)
                breaks.append(_edited_revision(row, old))
                edited.add(row["changeset_id"])
        _update_digests(digests, sets, ids, recomputed)
    actual = _joined(ids_seen), _joined(sets_seen)
    membership, touched = _membership_breaks(chain, actual)
    inserted = {b.row for b in membership if b.kind == INSERTED_ROW}
    breaks = [b for b in breaks if b.row not in inserted] + membership
    breaks.sort(key=lambda b: int(b.row))
    touched |= edited
    for changeset_id, (entry_id, sealed) in sorted(chain.changesets.items()):
        digest = digests.get(changeset_id, hashlib.sha256()).hexdigest()
        if digest != sealed.get("digest") and changeset_id not in touched:
            breaks.append(
                Break(
                    EDITED_ROW,
                    "changesets",
                    str(changeset_id),
                    f"its revisions differ from the digest audit entry {entry_id} sealed "
                    "(a row and its stored hash were both rewritten)",
                )
            )
    return breaks, int(actual[0].size)


def _joined(parts: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)


def _edited_revision(row: dict[str, Any], stored: str | None) -> Break:
    what = "has no content hash" if stored is None else "no longer matches its content hash"
    return Break(
        EDITED_ROW,
        "revisions",
        str(row["id"]),
        f"its content {what} ({row['entity']} {row['period']} {row['indicator']}, "
        f"changeset {row['changeset_id']})",
    )


def _update_digests(
    digests: dict[int, Any], changesets: np.ndarray, ids: np.ndarray, hashes: list[str]
) -> None:
    """Feed ``id:hash`` lines to each changeset's digest, one run of rows at a time."""
    if ids.size == 0:
        return
    starts = np.flatnonzero(np.diff(changesets)) + 1
    bounds = zip(np.concatenate(([0], starts)), np.concatenate((starts, [ids.size])), strict=True)
    for start, end in bounds:
        pairs = zip(ids[start:end].tolist(), hashes[start:end], strict=True)
        lines = "".join(f"{i}:{h}\n" for i, h in pairs)
        digests.setdefault(int(changesets[start]), hashlib.sha256()).update(lines.encode("ascii"))


def _membership_breaks(
    chain: _Chain, actual: tuple[np.ndarray, np.ndarray]
) -> tuple[list[Break], set[int]]:
    """Revisions that exist but no seal names, and sealed ones that no longer exist.

    Returns the breaks and the changesets they touch.
    """
    ids, sets = actual
    expected_ids, expected_sets = [], []
    for changeset_id, (_, sealed) in chain.changesets.items():
        held = expand_ranges(sealed.get("revisions", []))
        expected_ids.append(held)
        expected_sets.append(np.full(held.size, changeset_id, dtype=np.int64))
    expected, owners = _joined(expected_ids), _joined(expected_sets)
    inserted = ~np.isin(ids, expected)
    missing = ~np.isin(expected, ids)
    breaks = [
        Break(INSERTED_ROW, "revisions", str(i), f"no audit entry sealed it (changeset {c})")
        for i, c in zip(ids[inserted].tolist(), sets[inserted].tolist(), strict=True)
    ]
    breaks += [
        Break(MISSING_ROW, "revisions", str(i), f"it was sealed but is gone (changeset {c})")
        for i, c in zip(expected[missing].tolist(), owners[missing].tolist(), strict=True)
    ]
    return breaks, set(sets[inserted].tolist()) | set(owners[missing].tolist())


def _row_breaks(connection: Connection, chain: _Chain) -> list[Break]:
    breaks = []
    present: set[tuple[str, str]] = set()
    for name, table in sealing.SEALED_TABLES.items():
        for row in connection.execute(select(table)).mappings():
            key = sealing.key_of(table, row)
            present.add((name, key))
            sealed = chain.rows.get((name, key))
            if sealed is None or sealed[1] is None:
                breaks.append(Break(INSERTED_ROW, name, key, "no audit entry sealed it"))
            elif sealed[1] != row_hash(name, row):
                why = f"its content differs from what audit entry {sealed[0]} sealed"
                breaks.append(Break(EDITED_ROW, name, key, why))
    for (name, key), (entry_id, digest) in sorted(chain.rows.items()):
        if digest is not None and (name, key) not in present:
            breaks.append(Break(MISSING_ROW, name, key, f"audit entry {entry_id} sealed it"))
    return breaks
