"""An account's life after it is added: deactivation, reactivation and new passwords.

A deactivated user is locked out at once: its login sessions are deleted, and its API
tokens and any session still in flight stop working because every request checks that
the user is active. A new password ends every login session of the user (the caller opens
a fresh one for the browser that made the change). Each change is audited; no password
ever reaches the audit log.
"""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from esgledger.auth import throttle
from esgledger.auth.credentials import close_sessions_of
from esgledger.auth.passwords import check_policy, hash_password, verify_password
from esgledger.auth.schema import User
from esgledger.auth.service import get_user, keep_an_admin
from esgledger.errors import EsgError
from esgledger.ledger import audit


class PasswordRefused(EsgError):
    """A password change that cannot be made as asked (wrong current password, no change)."""


def set_active(session: Session, actor: str, username: str, active: bool) -> User:
    """Deactivate (ending its sessions) or reactivate an account.

    Raises:
        NotFoundError: no such user.
        EsgError: deactivating the last active administrator.
    """
    user = get_user(session, username)
    if user.active == active:
        return user
    if not active:
        keep_an_admin(session, user, "account.deactivate")
        close_sessions_of(session, user)
    user.active = active
    action = "user.activate" if active else "user.deactivate"
    audit.record(session, actor, action, {"username": username})
    return user


def change_password(
    database: Engine, session: Session, user: User, old: str, new: str, address: str | None
) -> None:
    """The user's own change: the current password must be right, the new one pass the policy.

    Checking the current password draws on the login throttle, so a stolen session or
    token cannot be used to guess it. The throttle writes in transactions of its own, all
    before ``session`` writes anything (on SQLite a second writer would wait for it).

    Raises:
        Throttled: too many wrong tries.
        PasswordRefused: the current password is wrong, or the new one is the same.
        WeakPassword: the new password breaks the policy.
    """
    throttle.reserve(database, user.username, address)
    if not verify_password(user.password_hash, old):
        raise PasswordRefused.coded("account.current_wrong")
    throttle.forgive(database, user.username, address)
    if new == old:
        raise PasswordRefused.coded("account.same_password")
    _set_password(session, user, new)
    audit.record(session, user.username, "user.password", {"username": user.username})


def reset_password(session: Session, actor: str, username: str, new: str) -> User:
    """An administrator's reset, for a user who forgot the password (from the CLI)."""
    user = get_user(session, username)
    _set_password(session, user, new)
    audit.record(session, actor, "user.password-reset", {"username": username})
    return user


def _set_password(session: Session, user: User, new: str) -> None:
    check_policy(new, user.username, user.display_name)
    user.password_hash = hash_password(new)
    close_sessions_of(session, user)
