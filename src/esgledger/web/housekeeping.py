"""What the server does on its own while it runs: removing expired login sessions and,
unless ``embedded_worker`` is off, running queued jobs in a worker thread (jobs/worker.py).

A login session row outlives its expiry until something deletes it; logging in removes the
expired ones, but a server nobody logs in to would keep them for ever. The application's
lifespan prunes them at start and then every ``session_prune_minutes`` (a setting), in a
worker thread so that requests are never held up. Each worker process does the same; the
deletes are idempotent.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from fastapi import FastAPI
from sqlalchemy import Engine

from esgledger.auth.credentials import prune_sessions
from esgledger.jobs.worker import Worker, start_in_thread
from esgledger.ledger.database import is_busy, unit_of_work

log = logging.getLogger(__name__)


def prune_expired_sessions(database: Engine) -> int:
    """Delete the login sessions past their expiry; how many there were."""
    with unit_of_work(database) as session:
        return prune_sessions(session)


async def _prune_every(database: Engine, seconds: float) -> None:
    while True:
        try:
            await asyncio.to_thread(prune_expired_sessions, database)
        except Exception as exc:  # the next round tries again; the server keeps serving
            if not is_busy(exc):
                log.exception("pruning expired login sessions failed")
        await asyncio.sleep(seconds)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Run the housekeeping for as long as the application serves."""
    minutes = app.state.settings.session_prune_minutes
    task = asyncio.create_task(_prune_every(app.state.database, minutes * 60))
    worker = _embedded_worker(app)
    try:
        yield
    finally:
        if worker is not None:
            await asyncio.to_thread(worker.stop_and_wait)
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task
        release(app)


def release(app: FastAPI) -> None:
    """Close what the application holds open (the queue's connection, the pooled ledger
    connections, the event loop's own reads): an application started and stopped many
    times, as tests and reloading servers do, must not leave a file handle behind each
    time. Each reopens on next use."""
    jobs = getattr(app.state, "jobs", None)
    if jobs is not None:
        jobs.close()
    reads = getattr(app.state, "loop_reads", None)
    if reads is not None:
        reads.close()
    app.state.database.dispose()


def _embedded_worker(app: FastAPI) -> Worker | None:
    """A worker thread on the application's queue, when the setting asks for one."""
    if not app.state.settings.embedded_worker:
        return None
    from esgledger.api.routers.jobs import app_jobs_of

    return start_in_thread(app_jobs_of(app))
