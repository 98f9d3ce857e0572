"""Login throttling that parallel guesses cannot outrun (OWASP ASVS 2.2.1).

Each login first *reserves* a try on two counters, its account's and its client
address's, before the password is checked; a success gives the reservation back. The
reservation is one conditional UPDATE per counter (``... SET failures = failures + 1
WHERE failures < limit``), committed at once in a transaction of its own: the database
serialises the UPDATEs on the row (PostgreSQL re-checks the WHERE on the row it waited
for; SQLite has a single writer), so of 40 guesses sent together at most ``limit`` pass.
Counting failures after the check, as before, let every guess of a burst read "0
failures" first.

A window starts with the first try after the previous window ended and lasts
:data:`WINDOW`; a refused login is told when it may try again (``retry_after``).
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, case, delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from esgledger.auth.schema import LoginThrottle
from esgledger.errors import EsgError
from esgledger.ledger.database import utcnow

WINDOW = timedelta(minutes=15)
ACCOUNT_LIMIT = 5  # tries per account name per window
ADDRESS_LIMIT = 30  # tries per client address per window (several users may share one)


class Throttled(EsgError):
    """Too many failed logins for this account or from this address; try again later."""

    def __init__(self, retry_after: int) -> None:
        minutes = max(1, math.ceil(retry_after / 60))
        super().__init__(
            f"too many failed logins; wait {minutes} minute{'s' if minutes > 1 else ''} "
            "and try again"
        )
        self.retry_after = retry_after


def counter_keys(username: str, address: str | None) -> list[tuple[str, int]]:
    """The counters one login draws on, account first (always in this order: no deadlock)."""
    keys = [(f"account:{username}", ACCOUNT_LIMIT)]
    if address:
        keys.append((f"address:{address}", ADDRESS_LIMIT))
    return keys


def reserve(database: Engine, username: str, address: str | None) -> None:
    """Count one more try on each counter, or refuse without counting any.

    Raises:
        Throttled: a counter is at its limit in its current window.
    """
    now = utcnow()
    with database.connect() as connection:
        for key, limit in counter_keys(username, address):
            if not _take_or_create(connection, key, limit, now):
                wait = _seconds_left(connection, key, now)
                connection.rollback()  # the counters taken before this one are given back
                raise Throttled(wait)
        connection.commit()


def forgive(database: Engine, username: str, address: str | None) -> None:
    """After a successful login: the account starts afresh, the address gets its try back.

    Counters whose window has ended are deleted here too, so that names guessed once do
    not pile up (an ended window counts as zero anyway).
    """
    account, *others = counter_keys(username, address)
    with database.begin() as connection:
        connection.execute(
            delete(LoginThrottle).where(LoginThrottle.window_start <= utcnow() - WINDOW)
        )
        connection.execute(
            update(LoginThrottle).where(LoginThrottle.key == account[0]).values(failures=0)
        )
        for key, _limit in others:
            connection.execute(
                update(LoginThrottle)
                .where(LoginThrottle.key == key, LoginThrottle.failures > 0)
                .values(failures=LoginThrottle.failures - 1)
            )


def _take_or_create(connection: Connection, key: str, limit: int, now: datetime) -> bool:
    """:func:`_take` on the counter, created first if missing.

    A counter deleted by :func:`forgive` between the two statements is created again.
    """
    _ensure_row(connection, key, now)
    if _take(connection, key, limit, now):
        return True
    if connection.scalar(select(LoginThrottle.key).where(LoginThrottle.key == key)) is None:
        _ensure_row(connection, key, now)
        return _take(connection, key, limit, now)
    return False


def _ensure_row(connection: Connection, key: str, now: datetime) -> None:
    """Create the counter if missing; a parallel creator wins and this one does nothing."""
    insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
    statement = insert(LoginThrottle).values(key=key, failures=0, window_start=now)
    connection.execute(statement.on_conflict_do_nothing(index_elements=["key"]))


def _take(connection: Connection, key: str, limit: int, now: datetime) -> bool:
    """Check and count in one statement: whether a try was left (and is now used)."""
    expired = LoginThrottle.window_start <= now - WINDOW
    result = connection.execute(
        update(LoginThrottle)
        .where(LoginThrottle.key == key, expired | (LoginThrottle.failures < limit))
        .values(
            failures=case((expired, 1), else_=LoginThrottle.failures + 1),
            window_start=case((expired, now), else_=LoginThrottle.window_start),
        )
    )
    return result.rowcount == 1


def _seconds_left(connection: Connection, key: str, now: datetime) -> int:
    start = connection.scalar(select(LoginThrottle.window_start).where(LoginThrottle.key == key))
    # A parallel login may have opened the window a moment after this one's ``now``: the
    # wait is never longer than the window itself.
    left = min(start + WINDOW - now, WINDOW)
    return max(1, math.ceil(left.total_seconds()))
