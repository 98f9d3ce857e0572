"""Verify the rows against the seals: changesets, revisions (in chunks) and small tables.

Every row is recomputed from its current contents and compared with its stored hash and
with what the sealing audit entry committed to, so that an edited, deleted or inserted
row is named with its table and id.
"""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np
from sqlalchemy import Connection, select

from esgledger.ledger import sealing
from esgledger.ledger.breaks import (
    EDITED_ROW,
    INSERTED_ROW,
    MISSING_ROW,
    Break,
    SealedState,
)
from esgledger.ledger.integrity import expand_ranges, row_hash


def changeset_breaks(chain: SealedState, headers: dict[int, str]) -> list[Break]:
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


def revision_breaks(
    connection: Connection, chain: SealedState, headers: dict[int, str]
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
    chain: SealedState, actual: tuple[np.ndarray, np.ndarray]
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


def row_breaks(connection: Connection, chain: SealedState) -> list[Break]:
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
