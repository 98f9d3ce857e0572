"""Who people are to a conversation: an author's role, an entity's reporters.

Comment threads (esgledger.answers.threads) show each author's role and tell an entity's
reporters about a question on its values; both are questions about accounts.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.auth.roles import Role
from esgledger.auth.schema import User, UserEntity


def roles_of(session: Session, usernames: Iterable[str]) -> dict[str, str]:
    """Each user's current role (a removed account has none)."""
    names = sorted(set(usernames))
    if not names:
        return {}
    rows = session.execute(select(User.username, User.role).where(User.username.in_(names)))
    return {name: role for name, role in rows}


def reporters_of(session: Session, entity: str) -> set[str]:
    """The active reporters granted this entity: the people a question about it is for."""
    query = (
        select(User.username)
        .join(UserEntity, UserEntity.user_id == User.id)
        .where(UserEntity.entity == entity, User.active.is_(True), User.role == Role.REPORTER)
    )
    return set(session.scalars(query))


def group_managers(session: Session) -> set[str]:
    """The active group managers: the people an escalation is for."""
    query = select(User.username).where(User.active.is_(True), User.role == Role.GROUP_MANAGER)
    return set(session.scalars(query))
