"""What verification finds: the kinds of break, one break, what walking the log gathers.

Shared by ``verify.py`` (the chain and checkpoints) and ``verify_data.py`` (the rows).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from esgledger.ledger.audit import GENESIS_HASH

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


@dataclass
class SealedState:
    """What walking the log gathers: entry hashes, and what each seal committed to."""

    hashes: dict[int, str] = field(default_factory=dict)
    sealed_revisions: dict[int, int] = field(default_factory=dict)
    changesets: dict[int, tuple[int, dict[str, Any]]] = field(default_factory=dict)
    rows: dict[tuple[str, str], tuple[int, str | None]] = field(default_factory=dict)
    breaks: list[Break] = field(default_factory=list)
    head_hash: str = GENESIS_HASH
