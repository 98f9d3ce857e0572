"""Expired login sessions are deleted: at server start, every few minutes, and on command."""

from __future__ import annotations

import time
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from esgledger.auth import credentials
from esgledger.auth.schema import LoginSession, User
from esgledger.cli.main import main
from esgledger.ledger.database import utcnow


def open_sessions(api, expired: int, live: int) -> None:
    """``expired`` sessions past their expiry and ``live`` ones, all of the admin."""
    with api.session() as session:
        admin = session.scalar(select(User).where(User.username == "admin"))
        tokens = [credentials.open_session(session, admin)[0] for _ in range(expired + live)]
        old = [credentials._digest(token) for token in tokens[:expired]]
        session.execute(
            update(LoginSession)
            .where(LoginSession.token_hash.in_(old))
            .values(expires_at=utcnow() - timedelta(minutes=1))
        )


def counts(api) -> tuple[int, int]:
    """(expired, live) login sessions in the ledger now."""
    with api.session() as session:
        now = utcnow()
        expired = select(func.count()).where(LoginSession.expires_at < now)
        live = select(func.count()).where(LoginSession.expires_at >= now)
        return session.scalar(expired), session.scalar(live)


def wait_for(condition, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_the_server_deletes_expired_sessions_when_it_starts(api):
    open_sessions(api, expired=3, live=2)
    assert counts(api) == (3, 2)
    with TestClient(api.app):
        assert wait_for(lambda: counts(api) == (0, 2))


def test_the_server_deletes_sessions_that_expire_while_it_runs(api):
    settings = api.app.state.settings
    api.app.state.settings = settings.model_copy(update={"session_prune_minutes": 0.005})
    with TestClient(api.app):
        assert wait_for(lambda: counts(api) == (0, 0))
        open_sessions(api, expired=2, live=1)  # after the pruning at start
        assert wait_for(lambda: counts(api) == (0, 1))


def test_prune_sessions_command_deletes_only_expired_ones(api, capsys):
    open_sessions(api, expired=2, live=1)
    db = api.app.state.settings.db
    api.app.state.database.dispose()
    assert main(["user", "prune-sessions", "--db", db]) == 0
    assert "2 expired login session(s) deleted" in capsys.readouterr().out
    assert counts(api) == (0, 1)
