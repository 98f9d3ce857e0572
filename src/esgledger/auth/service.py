"""Accounts, password checks, login sessions, API tokens and login throttling.

Passwords are hashed with argon2 (argon2-cffi's defaults, RFC 9106). Session and API
tokens are random 32-byte secrets shown once; only their SHA-256 is stored. Every change
to an account is written to the audit log.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, bindparam, delete, func, select
from sqlalchemy.orm import Session

from esgledger.auth.roles import SEES_ALL, Role
from esgledger.auth.schema import (
    ApiToken,
    Comment,
    LoginAttempt,
    LoginSession,
    User,
    UserEntity,
)
from esgledger.errors import EsgError, NotFoundError
from esgledger.ledger import audit
from esgledger.ledger.database import utcnow

_HASHER = PasswordHasher()
SESSION_LIFETIME = timedelta(hours=12)
THROTTLE_WINDOW = timedelta(minutes=15)
THROTTLE_FAILURES = 5


class AuthError(EsgError):
    """Wrong credentials, an expired session, or too many failed attempts."""


@dataclass(frozen=True)
class Principal:
    """Who is acting, with what role, over which entities (None = all)."""

    user_id: int
    username: str
    role: Role
    entities: frozenset[str] | None

    def may_see(self, entity: str) -> bool:
        return self.entities is None or entity in self.entities


def add_user(
    session: Session,
    actor: str,
    username: str,
    password: str,
    role: Role,
    display_name: str | None = None,
    entities: list[str] | None = None,
) -> User:
    if session.scalar(select(User).where(User.username == username)) is not None:
        raise EsgError(f"user {username!r} exists already; choose another name")
    if len(password) < 8:
        raise EsgError("a password needs at least 8 characters")
    user = User(
        username=username,
        display_name=display_name or username,
        role=role.value,
        password_hash=_HASHER.hash(password),
        active=True,
        created_at=utcnow(),
    )
    session.add(user)
    session.flush()
    session.add_all(UserEntity(user_id=user.id, entity=code) for code in entities or [])
    audit.record(
        session,
        actor,
        "user.add",
        {"username": username, "role": role.value, "entities": entities or []},
    )
    return user


def grant(
    session: Session,
    actor: str,
    username: str,
    *,
    role: Role | None = None,
    entities: list[str] | None = None,
) -> User:
    """Change a user's role and/or replace the entities a reporter may work on."""
    user = get_user(session, username)
    if role is not None:
        user.role = role.value
    if entities is not None:
        session.execute(delete(UserEntity).where(UserEntity.user_id == user.id))
        session.add_all(UserEntity(user_id=user.id, entity=code) for code in entities)
    audit.record(
        session,
        actor,
        "user.grant",
        {"username": username, "role": user.role, "entities": entities},
    )
    return user


def get_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFoundError(f"no user {username!r}; `esgledger user list` shows them")
    return user


def list_users(session: Session) -> list[tuple[User, list[str]]]:
    users = list(session.scalars(select(User).order_by(User.username)))
    return [(u, entities_of(session, u.id)) for u in users]


def entities_of(session: Session, user_id: int) -> list[str]:
    return list(
        session.scalars(
            select(UserEntity.entity)
            .where(UserEntity.user_id == user_id)
            .order_by(UserEntity.entity)
        )
    )


def principal_of(session: Session, user: User) -> Principal:
    role = Role(user.role)
    entities = None if role in SEES_ALL else frozenset(entities_of(session, user.id))
    return Principal(user.id, user.username, role, entities)


def authenticate(session: Session, username: str, password: str) -> User:
    """The user whose password this is; throttled after repeated failures.

    Raises:
        AuthError: wrong name or password (one message for both), or too many failures.
    """
    if _recent_failures(session, username) >= THROTTLE_FAILURES:
        raise AuthError("too many failed logins; wait 15 minutes and try again")
    user = session.scalar(select(User).where(User.username == username, User.active.is_(True)))
    ok = user is not None and _verify(user.password_hash, password)
    session.add(LoginAttempt(username=username, at=utcnow(), success=ok))
    if not ok:
        raise AuthError("wrong user name or password")
    return user


def _verify(stored: str, password: str) -> bool:
    try:
        return _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):  # both mean: this password does not match
        return False


def _recent_failures(session: Session, username: str) -> int:
    since = utcnow() - THROTTLE_WINDOW
    last_success = session.scalar(
        select(func.max(LoginAttempt.at)).where(
            LoginAttempt.username == username, LoginAttempt.success.is_(True)
        )
    )
    start = max(since, last_success) if last_success else since
    return (
        session.scalar(
            select(func.count())
            .select_from(LoginAttempt)
            .where(
                LoginAttempt.username == username,
                LoginAttempt.success.is_(False),
                LoginAttempt.at > start,
            )
        )
        or 0
    )


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(session: Session, user: User) -> tuple[str, str]:
    """A new login session: (secret cookie token, CSRF token)."""
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

    The same answer as ``principal_of(session, resolve_api_token(session, token))``, read
    in a single round trip (token, user and the user's entities joined) because every API
    request asks it.
    """
    rows = session.execute(_TOKEN_PRINCIPAL, {"digest": _digest(token)}).all()
    if not rows:
        return None
    user_id, username, role_name, _ = rows[0]
    role = Role(role_name)
    entities = None if role in SEES_ALL else frozenset(r[3] for r in rows if r[3] is not None)
    return Principal(user_id, username, role, entities)


def resolve_api_token(session: Session, token: str) -> User | None:
    row = session.scalar(
        select(ApiToken).where(ApiToken.token_hash == _digest(token), ApiToken.revoked.is_(False))
    )
    if row is None:
        return None
    user = session.get(User, row.user_id)
    return user if user and user.active else None


def prune_sessions(session: Session, now: datetime | None = None) -> None:
    session.execute(delete(LoginSession).where(LoginSession.expires_at < (now or utcnow())))


# --- Comments (used by the API's /comments) -------------------------------------------


def add_comment(
    session: Session, author: str, entity: str, period: str, indicator: str | None, text: str
) -> Comment:
    """A remark on an entity's period or one of its observations; recorded in the audit log."""
    comment = Comment(
        entity=entity, period=period, indicator=indicator, author=author, text=text, at=utcnow()
    )
    session.add(comment)
    session.flush()
    audit.record(
        session,
        author,
        "comment",
        {"id": comment.id, "entity": entity, "period": period, "indicator": indicator},
    )
    return comment


def list_comments(
    session: Session,
    entities: list[str] | None = None,
    period: str | None = None,
    indicator: str | None = None,
) -> list[Comment]:
    """Comments oldest first; ``entities=None`` means every entity, ``[]`` none."""
    query = select(Comment).order_by(Comment.id)
    if entities is not None:
        query = query.where(Comment.entity.in_(entities))
    if period is not None:
        query = query.where(Comment.period == period)
    if indicator is not None:
        query = query.where(Comment.indicator == indicator)
    return list(session.scalars(query))
