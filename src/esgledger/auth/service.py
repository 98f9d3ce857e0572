"""Accounts, roles and who is acting; comments.

Passwords are checked against the policy and hashed in :mod:`esgledger.auth.passwords`;
logins, sessions and API tokens are :mod:`esgledger.auth.credentials`; deactivation and
password changes :mod:`esgledger.auth.accounts`. Every change to an account is written to
the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from esgledger.auth.passwords import check_policy, hash_password
from esgledger.auth.roles import SEES_ALL, Role
from esgledger.auth.schema import Comment, User, UserEntity
from esgledger.errors import EsgError, NotFoundError, Phrase
from esgledger.ledger import audit
from esgledger.ledger.chain import hold_write_lock
from esgledger.ledger.database import utcnow


class AuthError(EsgError):
    """Wrong credentials or an expired session."""


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
        raise EsgError.coded("account.exists", user=username)
    check_policy(password, username, display_name or "")
    user = User(
        username=username,
        display_name=display_name or username,
        role=role.value,
        password_hash=hash_password(password),
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
        if role is not Role.ADMIN:
            keep_an_admin(session, user, "account.demote")
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


def keep_an_admin(session: Session, user: User, what: str) -> None:
    """Refuse to leave the ledger without an active administrator.

    Two administrators demoting each other at the same moment would each count the other
    and both succeed; the change is made under the users table's write lock instead, with
    the user read again under it.

    Raises:
        EsgError: ``user`` is the last active admin; ``what`` names the change refused.
    """
    hold_write_lock(session, "users")
    session.refresh(user)
    if user.role != Role.ADMIN.value or not user.active:
        return
    admins = session.scalar(
        select(func.count()).where(User.role == Role.ADMIN.value, User.active.is_(True))
    )
    if admins <= 1:
        raise EsgError.coded("account.last_admin", action=Phrase.of(what), user=user.username)


def get_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFoundError.coded("account.no_user", user=username)
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
