"""Applications for tests, each closed after its test.

An application opens the ledger's connection pool and, once a page or request touches
jobs, the queue's connection; a stopped server closes both (``web/housekeeping.release``),
but a test that never enters the lifespan must close them itself. A pytest worker runs
hundreds of application tests: unclosed, their file handles pass the 1,024 that select()
can watch, and every MQTT client in that worker then fails to connect.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import FastAPI

from esgledger.settings import Settings
from esgledger.web.app import create_app
from esgledger.web.housekeeping import release


@contextmanager
def serving(settings: Settings) -> Iterator[FastAPI]:
    """The application on ``settings``, released when the block ends."""
    app = create_app(settings)
    try:
        yield app
    finally:
        release(app)
