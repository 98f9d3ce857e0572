"""Checkpoints: the audit log's head written down outside the database.

The chain inside the database proves that nothing in the middle changed, but not that
the newest entries were not cut off, nor that someone did not recompute every hash after
an edit. A checkpoint (entry id, head hash, revision count, time) kept elsewhere closes
that gap: an exported file, the copy inside every snapshot, the line on every report
cover. With a key in ``$ESGLEDGER_AUDIT_KEY`` the checkpoint carries an HMAC-SHA256
signature, so that a copy kept inside the database cannot be forged by whoever can write
to the database but does not hold the key.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from esgledger.errors import EsgError, Phrase
from esgledger.ledger.database import utcnow
from esgledger.ledger.schema import AuditEntry, Revision
from esgledger.settings import load_settings

FORMAT = "esgledger-audit-checkpoint/1"


class CheckpointError(EsgError):
    """A checkpoint file that cannot be read."""


@dataclass(frozen=True)
class Checkpoint:
    """The head of the audit log at a moment; ``signature`` is empty without a key."""

    entry_id: int
    head_hash: str
    revisions: int
    at: str
    signature: str | None = None

    def payload(self) -> bytes:
        """The signed text: every field but the signature, in a fixed form."""
        fields = [FORMAT, self.entry_id, self.head_hash, self.revisions, self.at]
        return json.dumps(fields, separators=(",", ":")).encode("utf-8")

    def signed(self, key: bytes) -> Checkpoint:
        return replace(self, signature=hmac.new(key, self.payload(), hashlib.sha256).hexdigest())

    def signature_matches(self, key: bytes) -> bool:
        expected = hmac.new(key, self.payload(), hashlib.sha256).hexdigest()
        return self.signature is not None and hmac.compare_digest(expected, self.signature)

    def to_json(self) -> str:
        return json.dumps({"format": FORMAT, **asdict(self)}, indent=2) + "\n"

    def describe(self) -> str:
        """One line for a report cover or a terminal."""
        signed = "signed" if self.signature else "unsigned"
        return (
            f"audit entry {self.entry_id}, head sha256 {self.head_hash}, "
            f"{self.revisions:,} revisions, {self.at} UTC ({signed})"
        )


def signing_key() -> bytes | None:
    """The HMAC key of the ``audit_key`` setting, or None when none is configured."""
    text = load_settings().audit_key
    return text.encode("utf-8") if text else None


def current(session: Session, key: bytes | None = None) -> Checkpoint | None:
    """A checkpoint of the newest entry (None for an empty log), signed when a key is given.

    One statement reads the head and the revision count, so they belong together.
    """
    newest = select(func.max(AuditEntry.id)).scalar_subquery()
    row = session.execute(
        select(
            AuditEntry.id,
            AuditEntry.entry_hash,
            select(func.count(Revision.id)).scalar_subquery(),
        ).where(AuditEntry.id == newest)
    ).first()
    if row is None:
        return None
    at = utcnow().replace(microsecond=0).isoformat()
    checkpoint = Checkpoint(entry_id=row[0], head_hash=row[1], revisions=row[2], at=at)
    return checkpoint.signed(key) if key else checkpoint


def parse(text: str, where: str | Phrase) -> Checkpoint:
    """A checkpoint from its JSON text; ``where`` names the file or snapshot in messages."""
    try:
        data = json.loads(text)
        found = data.pop("format")
        if found != FORMAT:  # the detail shows both, in no language
            raise ValueError(f'"format": {found!r} ≠ {FORMAT!r}')
        return Checkpoint(**data)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:  # any malformed text
        raise CheckpointError.coded("checkpoint.malformed", where=where, detail=str(exc)) from None


def read_file(path: Path) -> Checkpoint:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:  # a missing or unreadable file is the user's to fix
        raise CheckpointError.coded(
            "checkpoint.unreadable", path=str(path), detail=exc.strerror or str(exc)
        ) from None
    return parse(text, str(path))
