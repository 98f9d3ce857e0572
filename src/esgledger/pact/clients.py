"""The PACT host's OAuth2 clients (client credentials grant) and their access tokens.

A data recipient (a customer's system) is given a client id and secret by
``esgledger pact client add``; both are kept only hashed: the id by SHA-256 (it is looked
up, and is random, so a fast hash is enough), the secret by argon2id like a password.
An access token is random, kept as its SHA-256 with its expiry and scopes, and expires
after ``token_lifetime_seconds`` (pact.yaml). Clients and tokens are ledger records
(``pact.clients``, ``pact.tokens``): each creation and each token issued is audited.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from esgledger.auth.passwords import hash_password, verify_password
from esgledger.ledger.reads.records import current_record, current_records
from esgledger.ledger.records import RecordChange, append_record
from esgledger.pact import spec

CLIENTS = "pact.clients"
TOKENS = "pact.tokens"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class NewClient:
    """Shown once, when the client is made: the secret is not kept in clear anywhere."""

    client_id: str
    client_secret: str


@dataclass(frozen=True)
class Client:
    key: str
    name: str
    scopes: tuple[str, ...]
    entities: tuple[str, ...] | None  # footprints of these entities only; None: all
    events_url: str | None  # the recipient's own PACT events endpoint, for replies


@dataclass(frozen=True)
class TokenCheck:
    """The answer to a presented bearer token: its client, or why it is refused."""

    client: Client | None
    expired: bool = False


def add_client(
    session: Session,
    name: str,
    *,
    actor: str,
    entities: list[str] | None = None,
    events_url: str | None = None,
    credentials: NewClient | None = None,
    reason: str | None = None,
) -> NewClient:
    """A new client with random credentials, or with ``credentials`` given (the demo's
    published ones: a real host never chooses a secret a person could guess)."""
    client_id = credentials.client_id if credentials else "pact_" + secrets.token_urlsafe(18)
    secret = credentials.client_secret if credentials else secrets.token_urlsafe(32)
    payload = {
        "name": name,
        "secret_hash": hash_password(secret),
        "scopes": list(spec.settings()["scopes"]),
        "entities": entities,
        "events_url": events_url,
    }
    append_record(
        session,
        CLIENTS,
        RecordChange(_digest(client_id), payload, expected_version=0),
        actor=actor,
        action="pact.client_add",
        reason=reason or f"PACT client {name}",
    )
    return NewClient(client_id, secret)


def _client(key: str, payload: dict[str, Any]) -> Client:
    entities = payload.get("entities")
    return Client(
        key,
        payload["name"],
        tuple(payload["scopes"]),
        tuple(entities) if entities else None,
        payload.get("events_url"),
    )


def clients(session: Session) -> list[Client]:
    return [_client(r.key, r.payload) for r in current_records(session, CLIENTS)]


def authenticate(session: Session, client_id: str, secret: str) -> Client | None:
    """The client whose id and secret these are, else None (same work either way)."""
    record = current_record(session, CLIENTS, _digest(client_id))
    usable = record is not None and not record.retired
    stored = record.payload["secret_hash"] if usable else None
    if not verify_password(stored, secret) or record is None:
        return None
    return _client(record.key, record.payload)


def issue_token(
    session: Session, client: Client, *, now: datetime | None = None
) -> tuple[str, int]:
    """A new access token for ``client`` and its lifetime in seconds."""
    lifetime = int(spec.settings()["token_lifetime_seconds"])
    now = now or datetime.now(UTC)
    token = secrets.token_urlsafe(32)
    payload = {"client": client.key, "expires": (now + timedelta(seconds=lifetime)).isoformat()}
    append_record(
        session,
        TOKENS,
        RecordChange(_digest(token), payload, expected_version=0),
        actor=f"pact:{client.name}",
        action="pact.token",
    )
    return token, lifetime


def check_token(session: Session, token: str, *, now: datetime | None = None) -> TokenCheck:
    record = current_record(session, TOKENS, _digest(token)) if token else None
    if record is None or record.retired:
        return TokenCheck(None)
    now = now or datetime.now(UTC)
    if datetime.fromisoformat(record.payload["expires"]) <= now:
        return TokenCheck(None, expired=True)
    owner = current_record(session, CLIENTS, record.payload["client"])
    if owner is None or owner.retired:
        return TokenCheck(None)
    return TokenCheck(_client(owner.key, owner.payload))
