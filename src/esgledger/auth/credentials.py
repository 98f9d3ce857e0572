"""Logging in, login sessions and API tokens.

Session and API tokens are random 32-byte secrets shown once; only their SHA-256 is
stored, so a database leak reveals none. A login always does the same work whether or not
the name exists (throttle, argon2 check), so neither its answer nor its timing tells which
names exist. Every login, token and revocation is written to the audit log.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, bindparam, delete, select
from sqlalchemy.orm import Session

from esgledger.auth import throttle
from esgledger.auth.passwords import verify_password
from esgledger.auth.roles import SEES_ALL, Role
from esgledger.auth.schema import ApiToken, LoginAttempt, LoginSession, User, UserEntity
from esgledger.auth.service import AuthError, Principal
from esgledger.errors import NotFoundError
from esgledger.ledger import audit
from esgledger.ledger.database import utcnow

SESSION_LIFETIME = timedelta(hours=12)


def check_login(database: Engine, username: str, password: str, address: str | None) -> int:
    """The id of the active user whose password this is.

    Each step commits on its own: the throttle's reservation before the (slow) password
    check, so that parallel guesses see it, and the attempt after it, so that a failed
    login is counted although the request that made it fails.

    Raises:
        Throttled: too many tries for this name or from this address (nothing checked).
        AuthError: wrong name or password, or an inactive account (one message for all).
    """
    throttle.reserve(database, username, address)
    with Session(database) as session:
        user = session.scalar(select(User).where(User.username == username))
        matches = verify_password(user.password_hash if user else None, password)
        ok = matches and user is not None and user.active
        session.add(LoginAttempt(username=username, at=utcnow(), success=ok, address=address))
        session.commit()
        user_id = user.id if ok else None
    if user_id is None:
        raise AuthError.coded("account.wrong_login")
    throttle.forgive(database, username, address)
    return user_id


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(session: Session, user: User, replacing: str | None = None) -> tuple[str, str]:
    """A new login session: (secret cookie token, CSRF token).

    ``replacing`` is the session cookie the browser already holds: that session ends, so
    logging in again never leaves an older session of the same browser alive, and every
    login gets a new session id (no session fixation). Expired sessions are removed here.
    """
    if replacing:
        close_session(session, replacing)
    prune_sessions(session)
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    now = utcnow()
    session.add(
        LoginSession(
            token_hash=_digest(token),
            user_id=user.id,
            csrf_token=csrf,
            created_at=now,
            expires_at=now + SESSION_LIFETIME,
        )
    )
    audit.record(session, user.username, "login", {})
    return token, csrf


def resolve_session(session: Session, token: str) -> tuple[User, str] | None:
    """The user and CSRF token of a live session, or None."""
    row = session.get(LoginSession, _digest(token))
    if row is None or row.expires_at < utcnow():
        return None
    user = session.get(User, row.user_id)
    return (user, row.csrf_token) if user and user.active else None


def close_session(session: Session, token: str) -> None:
    session.execute(delete(LoginSession).where(LoginSession.token_hash == _digest(token)))


def close_sessions_of(session: Session, user: User) -> int:
    """End every login session of ``user`` (deactivation, password change); how many."""
    result = session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
    return result.rowcount


def prune_sessions(session: Session, now: datetime | None = None) -> int:
    """Delete the login sessions expired before ``now``; how many there were."""
    expired = LoginSession.expires_at < (now or utcnow())
    return session.execute(delete(LoginSession).where(expired)).rowcount


def create_api_token(session: Session, user: User, name: str) -> str:
    """A new API token for scripts; shown once, stored hashed."""
    token = "esg_" + secrets.token_urlsafe(32)
    session.add(
        ApiToken(
            user_id=user.id,
            name=name,
            token_hash=_digest(token),
            created_at=utcnow(),
            revoked=False,
        )
    )
    audit.record(session, user.username, "token.create", {"name": name})
    return token


def list_api_tokens(session: Session, user: User) -> list[ApiToken]:
    """The user's tokens, oldest first, revoked ones included (their secrets are not kept)."""
    return list(
        session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id))
    )


def revoke_api_token(session: Session, actor: str, user: User, token_id: int) -> ApiToken:
    """Revoke one of ``user``'s tokens for good; requests with it fail from now on.

    Raises:
        NotFoundError: ``user`` has no token with this id (another user's is not found).
    """
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFoundError.coded("account.no_token", user=user.username, token=token_id)
    if not token.revoked:
        token.revoked = True
        audit.record(
            session,
            actor,
            "token.revoke",
            {"username": user.username, "token": token_id, "name": token.name},
        )
    return token


_TOKEN_PRINCIPAL = (  # built once: constructing the statement cost more than running it
    select(User.id, User.username, User.role, UserEntity.entity)
    .join(ApiToken, ApiToken.user_id == User.id)
    .outerjoin(UserEntity, UserEntity.user_id == User.id)
    .where(
        ApiToken.token_hash == bindparam("digest"),
        ApiToken.revoked.is_(False),
        User.active.is_(True),
    )
)


def principal_for_api_token(session: Session | Connection, token: str) -> Principal | None:
    """Who a live API token acts for, in one query; None if unknown, revoked or inactive.

    Token, user and the user's entities are joined into a single round trip because every
    API request asks it.
    """
    rows = session.execute(_TOKEN_PRINCIPAL, {"digest": _digest(token)}).all()
    if not rows:
        return None
    user_id, username, role_name, _ = rows[0]
    role = Role(role_name)
    entities = None if role in SEES_ALL else frozenset(r[3] for r in rows if r[3] is not None)
    return Principal(user_id, username, role, entities)
