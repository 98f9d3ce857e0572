"""Which notices still have to leave the app, and the record that they did.

A notice is delivered once: the register ``notices.deliveries`` gets a record per notice
(key: the notice's key) saying to which address it was mailed, or that its recipient had
none, and whether the chat webhook carried it. The delivery job reads the notices without
such a record; the inbox's own records are left alone, so a user reading a notice and the
job delivering it never conflict.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from esgledger.ledger.reads.records import current_records
from esgledger.ledger.records import RecordChange, append_records
from esgledger.notices.inbox import INBOX, NoticeView, _view

DELIVERIES = "notices.deliveries"


@dataclass(frozen=True)
class Delivered:
    """How one notice left: mailed to ``email`` (None: its recipient has no address)."""

    key: str
    email: str | None
    webhook: bool


def pending_notices(session: Session) -> list[NoticeView]:
    """Notices not delivered yet, oldest first."""
    done = {r.key for r in current_records(session, DELIVERIES)}
    pending = [_view(r) for r in current_records(session, INBOX) if r.key not in done]
    return sorted(pending, key=lambda n: (n.posted_at, n.key))


def record_deliveries(session: Session, delivered: Iterable[Delivered], *, actor: str) -> int:
    """Record that these notices were delivered (one audit entry); how many."""
    changes = [
        RecordChange(d.key, {"email": d.email, "webhook": d.webhook}, expected_version=0)
        for d in delivered
    ]
    if changes:
        append_records(session, DELIVERIES, changes, actor=actor, action="notices.deliver")
    return len(changes)


def by_recipient(notices: Sequence[NoticeView]) -> dict[str, list[NoticeView]]:
    """The notices grouped per recipient, each group in posting order."""
    grouped: dict[str, list[NoticeView]] = {}
    for notice in notices:
        grouped.setdefault(notice.recipient, []).append(notice)
    return grouped
