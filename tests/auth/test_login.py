"""Logging in: constant work for unknown names, throttles per account and per address."""

from __future__ import annotations

import statistics
import time
from datetime import timedelta

import pytest
from sqlalchemy import Engine, func, select

from esgledger.auth import throttle
from esgledger.auth.credentials import check_login, open_session, resolve_session
from esgledger.auth.roles import Role
from esgledger.auth.schema import LoginAttempt, LoginSession, LoginThrottle
from esgledger.auth.service import AuthError, add_user, get_user
from esgledger.auth.throttle import Throttled
from esgledger.ledger.database import unit_of_work, utcnow
from tests.auth.conftest import PASSWORD


def _seconds(database: Engine, username: str) -> float:
    started = time.perf_counter()
    with pytest.raises(AuthError):
        check_login(database, username, "not the password at all", None)
    return time.perf_counter() - started


def test_an_unknown_name_takes_as_long_as_a_wrong_password(database):
    """Real argon2 parameters (argon2-cffi's defaults), timed: a name that does not exist
    must cost the same hash as one that does, or the timing tells which names exist."""
    with unit_of_work(database) as session:
        add_user(session, "tester", "known", PASSWORD, Role.AUDITOR)
    _seconds(database, "warm-up")  # the dummy hash is made on first use
    known, unknown = [], []
    for n in range(throttle.ACCOUNT_LIMIT):  # stays under the known name's throttle
        known.append(_seconds(database, "known"))
        unknown.append(_seconds(database, f"ghost-{n}"))
    ratio = statistics.median(unknown) / statistics.median(known)
    assert 0.5 < ratio < 2, (known, unknown)


def test_an_inactive_account_is_refused_like_a_wrong_password(accounts):
    with unit_of_work(accounts) as session:
        get_user(session, "auditor").active = False
    with pytest.raises(AuthError, match=r"^wrong user name or password$"):
        check_login(accounts, "auditor", PASSWORD, None)


def attempts(database: Engine, username: str) -> int:
    with unit_of_work(database) as session:
        query = select(func.count()).where(LoginAttempt.username == username)
        return session.scalar(query)


def test_five_wrong_passwords_then_refused_unchecked_with_the_time_to_wait(accounts):
    for _ in range(throttle.ACCOUNT_LIMIT):
        with pytest.raises(AuthError):
            check_login(accounts, "manager", "wrong-wrong-wrong", "10.0.0.1")
    with pytest.raises(Throttled) as refused:
        check_login(accounts, "manager", PASSWORD, "10.0.0.2")
    assert 14 * 60 < refused.value.retry_after <= 15 * 60
    assert "wait 15 minutes" in refused.value.message
    assert attempts(accounts, "manager") == throttle.ACCOUNT_LIMIT  # the refused one unchecked
    assert check_login(accounts, "admin", PASSWORD, "10.0.0.1")  # other names are unaffected


def test_a_success_starts_the_account_afresh(accounts):
    for _ in range(throttle.ACCOUNT_LIMIT - 1):
        with pytest.raises(AuthError):
            check_login(accounts, "manager", "wrong-wrong-wrong", None)
    check_login(accounts, "manager", PASSWORD, None)
    for _ in range(throttle.ACCOUNT_LIMIT - 1):
        with pytest.raises(AuthError):
            check_login(accounts, "manager", "wrong-wrong-wrong", None)
    assert check_login(accounts, "manager", PASSWORD, None)


def test_one_address_guessing_many_names_is_throttled_too(accounts):
    for n in range(throttle.ADDRESS_LIMIT):
        with pytest.raises(AuthError):
            check_login(accounts, f"name-{n}", "wrong-wrong-wrong", "10.0.0.9")
    with pytest.raises(Throttled):
        check_login(accounts, "admin", PASSWORD, "10.0.0.9")
    assert check_login(accounts, "admin", PASSWORD, "10.0.0.10")
    # the refusal by address did not use up one of the account's tries
    with unit_of_work(accounts) as session:
        counters = session.scalars(
            select(LoginThrottle.failures).where(LoginThrottle.key == "account:admin")
        )
        assert list(counters) == [0]


def test_the_window_ends_after_fifteen_minutes(accounts):
    for _ in range(throttle.ACCOUNT_LIMIT):
        with pytest.raises(AuthError):
            check_login(accounts, "manager", "wrong-wrong-wrong", None)
    with unit_of_work(accounts) as session:
        row = session.get(LoginThrottle, "account:manager")
        row.window_start -= throttle.WINDOW + timedelta(seconds=1)
    assert check_login(accounts, "manager", PASSWORD, None)


def test_logging_in_removes_expired_sessions(accounts):
    with unit_of_work(accounts) as session:
        open_session(session, get_user(session, "admin"))
        for row in session.scalars(select(LoginSession)):
            row.expires_at = utcnow() - timedelta(minutes=1)
    with unit_of_work(accounts) as session:
        fresh, _ = open_session(session, get_user(session, "manager"))
    with unit_of_work(accounts) as session:
        left = session.scalars(select(LoginSession.user_id)).all()
        assert left == [get_user(session, "manager").id]
        assert resolve_session(session, fresh) is not None


def test_counters_of_ended_windows_are_deleted_at_a_successful_login(accounts):
    for n in range(3):
        with pytest.raises(AuthError):
            check_login(accounts, f"guessed-{n}", "wrong-wrong-wrong", None)
    with unit_of_work(accounts) as session:
        for row in session.scalars(select(LoginThrottle)):
            row.window_start -= throttle.WINDOW
    check_login(accounts, "admin", PASSWORD, None)
    with unit_of_work(accounts) as session:
        assert session.scalars(select(LoginThrottle.key)).all() == ["account:admin"]
    assert check_login(accounts, "admin", PASSWORD, None)  # a deleted counter comes back
