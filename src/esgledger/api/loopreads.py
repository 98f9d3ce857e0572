"""The small reads the event loop answers itself: who is calling, and the ledger version.

Every API request asks the first, and every cached read (the dashboard) the second; each
is one indexed query. Handing them to the thread pool, as FastAPI does for a plain ``def``
dependency, costs more than the queries: under 32 concurrent clients a hop to the pool
and back took about 0.4 ms of CPU (thread wake-ups and GIL hand-offs between the loop and
the pool's threads), against 0.1-0.2 ms for the query. So they run on the event loop and
block it for that long.

They use an engine of their own in autocommit mode (no BEGIN and COMMIT round trips),
whose connections only the event-loop thread takes, always giving them back before the
loop runs anything else. Taking a connection from the requests' pool instead could block
the loop until a request holding one finished, while that request needed the loop to
finish: with 32 clients on a cold dashboard, both workers stopped that way.
"""

from __future__ import annotations

from fastapi import FastAPI
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from esgledger.auth.credentials import principal_for_api_token, resolve_session
from esgledger.auth.service import Principal, principal_of
from esgledger.calc.cache import ledger_version
from esgledger.ledger.database import open_database


class LoopReads:
    def __init__(self, database: Engine) -> None:
        self.source = database  # the application's engine, which this one reads beside
        url = database.url
        if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
            self.database = database  # an in-memory database exists only behind its own engine
        else:
            self.database = open_database(url.render_as_string(hide_password=False))
        self.database = self.database.execution_options(isolation_level="AUTOCOMMIT")

    def close(self) -> None:
        """Close this engine's connections (not the application's, when it reads through it)."""
        if self.database.engine is not self.source:
            self.database.engine.dispose()

    def token_principal(self, token: str) -> Principal | None:
        with self.database.connect() as connection:
            return principal_for_api_token(connection, token)

    def session_principal(self, token: str) -> tuple[Principal, str] | None:
        """The principal and CSRF token of a live browser session."""
        with Session(self.database) as session:
            found = resolve_session(session, token)
            if found is None:
                return None
            user, csrf = found
            return principal_of(session, user), csrf

    def ledger_version(self) -> int:
        with self.database.connect() as connection:
            return ledger_version(connection)


def loop_reads(app: FastAPI) -> LoopReads:
    """The application's :class:`LoopReads`, made on first use (by the event loop's thread)."""
    reads = getattr(app.state, "loop_reads", None)
    if reads is None or reads.source is not app.state.database:
        reads = app.state.loop_reads = LoopReads(app.state.database)
    return reads
