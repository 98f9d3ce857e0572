"""Signed links for people without an account: a stakeholder survey, a supplier questionnaire.

A link carries its own claims (an id, a purpose, a subject such as ``{"year": 2024,
"group": "employees"}`` and an expiry) and an HMAC-SHA256 signature over them made with
the server's ``ESGLEDGER_LINK_KEY``. The server keeps no session for it: whoever holds the
link may answer once, until it expires, for that purpose only.

"Once" is enforced by the ledger, not by a flag that two requests could both read as
unset: answering appends the record ``links.used/<link id>`` with ``expected_version=0``
in the same transaction as the answer, so a second answer (even a concurrent one) is a
record conflict and nothing of it is written.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from esgledger.errors import EsgError
from esgledger.ledger.reads.records import current_record
from esgledger.ledger.records import RecordChange, RecordConflict, append_records

USED_REGISTER = "links.used"


class LinkRefused(EsgError):
    """The link is forged, expired, for another purpose or already used."""


@dataclass(frozen=True)
class LinkClaims:
    """What a verified link says: its id, purpose, subject and expiry (UTC)."""

    id: str
    purpose: str
    subject: dict[str, Any]
    expires: datetime


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(key: bytes, body: str) -> str:
    return _b64(hmac.new(key, body.encode(), hashlib.sha256).digest())


def issue_link(
    key: bytes, purpose: str, subject: dict[str, Any], valid_for: timedelta, now: datetime
) -> tuple[str, LinkClaims]:
    """A new signed token and its claims; the id is random, so two links never share one."""
    claims = LinkClaims(secrets.token_urlsafe(12), purpose, dict(subject), now + valid_for)
    body = _b64(
        json.dumps(
            {
                "i": claims.id,
                "p": purpose,
                "s": claims.subject,
                "e": int(claims.expires.timestamp()),
            },
            separators=(",", ":"),
            sort_keys=True,
            ensure_ascii=False,
        ).encode()
    )
    return f"{body}.{_signature(key, body)}", claims


def verify_link(key: bytes, token: str, purpose: str, now: datetime) -> LinkClaims:
    """The claims of a genuine, unexpired link of ``purpose``.

    Raises:
        LinkRefused: ``link.forged`` (bad signature, mangled, other purpose) or
            ``link.expired``.
    """
    body, _, signature = token.partition(".")
    if not signature or not hmac.compare_digest(signature, _signature(key, body)):
        raise _refused("link.forged")
    try:
        raw = json.loads(_unb64(body))
        claims = LinkClaims(
            str(raw["i"]), str(raw["p"]), dict(raw["s"]), datetime.fromtimestamp(raw["e"], UTC)
        )
    except (ValueError, KeyError, TypeError):
        raise _refused("link.forged") from None
    if claims.purpose != purpose:
        raise _refused("link.forged")
    if now >= claims.expires:
        raise _refused("link.expired", expired=claims.expires.strftime("%Y-%m-%d %H:%M UTC"))
    return claims


def use_link(session: Session, claims: LinkClaims, *, actor: str) -> None:
    """Mark the link used in the caller's transaction (commit together with the answer).

    Raises:
        LinkRefused: ``link.used`` when it was used before (the session is rolled back).
    """
    try:
        append_records(
            session,
            USED_REGISTER,
            [RecordChange(claims.id, {"purpose": claims.purpose}, expected_version=0)],
            actor=actor,
            action="link_used",
        )
    except RecordConflict:
        session.rollback()
        raise _refused("link.used") from None


def link_used(session: Session, link_id: str) -> bool:
    """Whether the link was answered already (to say so before the form is filled)."""
    return current_record(session, USED_REGISTER, link_id) is not None


def _refused(code: str, **params: object) -> LinkRefused:
    from esgledger.errors import render

    return LinkRefused(render(code, "en", **params), code=code, params=params)
