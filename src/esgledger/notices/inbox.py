"""The inbox: notices to users, stored in the ledger register ``notices.inbox``.

Each notice is one record (key ``<recipient-handle>|<random hex>``); reading it appends a
version with ``read`` set, so who was told what, and when they opened it, stays on record.
In this register the record's *entity* column holds the recipient's handle (the username,
or a hash of it when longer than the column's 40 characters), so one user's inbox is read
through the register's entity index instead of every notice; the entity a notice is about
is the payload's ``entity``.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from esgledger.errors import EsgError
from esgledger.ledger.database import utcnow
from esgledger.ledger.reads.records import RecordView, current_record, current_records
from esgledger.ledger.records import RecordChange, append_records

INBOX = "notices.inbox"
KIND_PATTERN_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_.")
_HANDLE_MAX = 40


@dataclass(frozen=True)
class Notice:
    """One message to post: to whom, which text (``notices.kind.<kind>``) with which
    parameters, where in the app it points, and the entity it concerns."""

    recipient: str
    kind: str
    params: Mapping[str, str] = field(default_factory=dict)
    link: str | None = None
    entity: str | None = None


@dataclass(frozen=True)
class NoticeView:
    """A stored notice as its recipient sees it."""

    key: str
    version: int
    recipient: str
    kind: str
    params: dict[str, str]
    link: str | None
    entity: str | None
    read: bool
    posted_at: datetime


def recipient_handle(username: str) -> str:
    """What the register's entity column holds for ``username`` (at most 40 characters)."""
    if len(username) <= _HANDLE_MAX:
        return username
    return "u:" + hashlib.sha256(username.encode()).hexdigest()[: _HANDLE_MAX - 2]


def post_notices(session: Session, notices: Iterable[Notice], *, actor: str) -> int:
    """Store ``notices`` in their recipients' inboxes with one audit entry; the number stored.

    Raises:
        EsgError: a notice without a recipient or with a kind that is not a text key.
    """
    at = utcnow().isoformat()
    changes = [_change(notice, at) for notice in notices]
    if changes:
        append_records(session, INBOX, changes, actor=actor, action="notices.post")
    return len(changes)


def _change(notice: Notice, at: str) -> RecordChange:
    if not notice.recipient or not notice.kind or not set(notice.kind) <= KIND_PATTERN_CHARS:
        raise EsgError.coded("notice.bad_notice", recipient=notice.recipient, kind=notice.kind)
    handle = recipient_handle(notice.recipient)
    payload = {
        "recipient": notice.recipient,
        "kind": notice.kind,
        "params": {str(k): str(v) for k, v in notice.params.items()},
        "link": notice.link,
        "entity": notice.entity,
        "read": False,
        "posted_at": at,
    }
    key = f"{handle}|{uuid.uuid4().hex}"
    return RecordChange(key, payload, entity=handle, expected_version=0)


def _view(record: RecordView) -> NoticeView:
    p = record.payload
    return NoticeView(
        key=record.key,
        version=record.version,
        recipient=p["recipient"],
        kind=p["kind"],
        params=dict(p.get("params") or {}),
        link=p.get("link"),
        entity=p.get("entity"),
        read=bool(p.get("read")),
        posted_at=datetime.fromisoformat(p["posted_at"])
        if "posted_at" in p
        else record.recorded_at,
    )


def inbox_for(session: Session, username: str, *, unread_only: bool = False) -> list[NoticeView]:
    """``username``'s notices, newest first."""
    records = [
        r
        for r in current_records(session, INBOX, entities=[recipient_handle(username)])
        if r.payload.get("recipient") == username
    ]
    views = [_view(r) for r in records]
    if unread_only:
        views = [v for v in views if not v.read]
    return sorted(views, key=lambda v: (v.posted_at, v.key), reverse=True)


def unread_count(session: Session, username: str) -> int:
    """How many of ``username``'s notices are unread (the menu's badge)."""
    return len(inbox_for(session, username, unread_only=True))


def mark_read(session: Session, username: str, key: str) -> NoticeView:
    """Mark one of ``username``'s notices read (reading it twice changes nothing).

    Raises:
        EsgError: no such notice in this user's inbox (another user's notice is not found
            either, so its existence is not revealed).
    """
    record = current_record(session, INBOX, key)
    if record is None or record.retired or record.payload.get("recipient") != username:
        raise EsgError.coded("notice.not_found", key=key)
    if record.payload.get("read"):
        return _view(record)
    change = RecordChange(
        key,
        {**record.payload, "read": True},
        entity=record.entity,
        expected_version=record.version,
    )
    append_records(session, INBOX, [change], actor=username, action="notices.read")
    return _view(current_record(session, INBOX, key))  # type: ignore[arg-type]


def mark_all_read(session: Session, username: str) -> int:
    """Mark every unread notice of ``username`` read with one audit entry; how many."""
    unread = [
        r
        for r in current_records(session, INBOX, entities=[recipient_handle(username)])
        if r.payload.get("recipient") == username and not r.payload.get("read")
    ]
    changes = [
        RecordChange(
            r.key, {**r.payload, "read": True}, entity=r.entity, expected_version=r.version
        )
        for r in unread
    ]
    if changes:
        append_records(session, INBOX, changes, actor=username, action="notices.read")
    return len(changes)
