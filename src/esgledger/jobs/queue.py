"""Which queue the jobs go through: SQLite beside the ledger by default, Redis when asked.

huey gives one API over both (docs/architecture.md, "Background jobs"): the embedded
default needs no other service (`make demo` on a fresh machine), and production points
``ESGLEDGER_QUEUE_URL`` at a Redis server that every web process and worker shares. The
job records (jobs/store.py) live in the same storage, so a queue and its records never
disagree about where they are.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from huey import Huey, RedisHuey, SqliteHuey
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from esgledger.errors import EsgError, ServiceUnavailable
from esgledger.settings import Settings

REDIS_SCHEMES = ("redis://", "rediss://", "unix://")
SQLITE_SCHEME = "sqlite:///"


def queue_url(settings: Settings) -> str:
    """The queue's URL: the setting, else a SQLite file beside a SQLite ledger
    (``ledger.db`` queues in ``ledger-queue.db``), else one under the user's data folder."""
    if settings.queue_url:
        return settings.queue_url
    if settings.db.startswith(SQLITE_SCHEME) and settings.db != "sqlite:///:memory:":
        ledger_file = Path(settings.db.removeprefix(SQLITE_SCHEME))
        return SQLITE_SCHEME + str(ledger_file.with_name(f"{ledger_file.stem}-queue.db"))
    return SQLITE_SCHEME + str(Path.home() / ".local" / "share" / "esgledger" / "queue.db")


# What a queue that cannot be reached raises: Redis down or unreachable, or a SQLite queue
# file that cannot be opened or stays locked past its timeout.
_UNREACHABLE = (RedisConnectionError, RedisTimeoutError, sqlite3.OperationalError)


def shown_url(url: str) -> str:
    """The queue URL without a password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return url.replace(f":{parts.password}@", ":***@", 1)


@contextmanager
def reachable(url: str) -> Iterator[None]:
    """Turn "the queue is not there" into one clear message instead of a traceback."""
    try:
        yield
    except _UNREACHABLE as exc:
        raise ServiceUnavailable.coded(
            "jobs.queue_unreachable", queue=shown_url(url), reason=str(exc)
        ) from None


def open_queue(settings: Settings) -> Huey:
    """The huey instance for ``settings``; results are not kept by huey (the job record is).

    Raises:
        EsgError: the queue URL is neither SQLite nor Redis.
    """
    url = queue_url(settings)
    if url.startswith(REDIS_SCHEMES):
        return RedisHuey(settings.queue_name, url=url, results=False, read_timeout=1)
    if url.startswith(SQLITE_SCHEME):
        path = Path(url.removeprefix(SQLITE_SCHEME))
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteHuey(settings.queue_name, filename=str(path), results=False, timeout=30)
    raise EsgError(
        f"ESGLEDGER_QUEUE_URL is {url!r}; expected sqlite:///FILE or redis://HOST:PORT/DB",
        code="jobs.bad_queue_url",
        params={"url": url},
    )
