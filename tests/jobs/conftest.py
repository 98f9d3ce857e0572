"""Fixtures for jobs: a SQLite ledger, a queue on SQLite or on the local Redis (a database
number and a queue name of its own per test, emptied afterwards), and real worker
processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from esgledger.jobs import Job, Jobs
from esgledger.ledger.database import migrate, open_database
from esgledger.settings import Settings, load_settings

REDIS_URL = "redis://127.0.0.1:6379/{db}"
REDIS_TEST_DB = 11  # the jobs tests' own Redis database; keys also carry a per-test name


def redis_available() -> str | None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL.format(db=REDIS_TEST_DB)).ping()
    except redis.RedisError as exc:
        return f"no Redis at 127.0.0.1:6379 ({exc})"
    return None


@pytest.fixture
def ledger_url(tmp_path: Path) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    database = open_database(url)
    migrate(database)
    database.dispose()
    return url


@pytest.fixture
def ledger_db(ledger_url: str) -> Iterator[Engine]:
    database = open_database(ledger_url)
    yield database
    database.dispose()


@pytest.fixture(params=["sqlite", "redis"])
def queue_env(request: pytest.FixtureRequest, ledger_url: str) -> Iterator[dict[str, str]]:
    """The ESGLEDGER_* variables of one test's queue (workers and settings read them)."""
    env = {
        "ESGLEDGER_DB": ledger_url,
        "ESGLEDGER_JOB_STALE_SECONDS": "2",
        "ESGLEDGER_QUEUE_NAME": f"test-{uuid.uuid4().hex[:10]}",
    }
    if request.param == "redis":
        if problem := redis_available():
            if os.environ.get("CI"):
                pytest.fail(f"CI requires Redis: {problem}")
            pytest.skip(problem)
        env["ESGLEDGER_QUEUE_URL"] = REDIS_URL.format(db=REDIS_TEST_DB)
    yield env
    if request.param == "redis":
        _drop_redis_keys(env["ESGLEDGER_QUEUE_NAME"])


def _drop_redis_keys(name: str) -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL.format(db=REDIS_TEST_DB))
    keys = list(client.scan_iter(match=f"*{name}*"))
    if keys:
        client.delete(*keys)


def settings_of(env: dict[str, str], **more: object) -> Settings:
    given = {key.removeprefix("ESGLEDGER_").lower(): value for key, value in env.items()}
    return load_settings(**(given | more))


@pytest.fixture
def jobs(queue_env: dict[str, str]) -> Jobs:
    return Jobs(settings_of(queue_env))


@pytest.fixture
def start_worker(
    queue_env: dict[str, str], tmp_path: Path
) -> Iterator[Callable[..., subprocess.Popen]]:
    """Start `esgledger worker` processes; any still running at the end are killed."""
    started: list[subprocess.Popen] = []

    def start(**more_env: str) -> subprocess.Popen:
        env = os.environ | queue_env | more_env
        log = (tmp_path / f"worker-{len(started)}.log").open("w")
        process = subprocess.Popen(
            [sys.executable, "-m", "esgledger.cli.main", "worker"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            process.wait()


def wait_until(jobs: Jobs, job_id: str, done: Callable[[Job], bool], timeout: float = 60) -> Job:
    """The job once ``done`` holds for it; fails the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = jobs.store.get(job_id)
        if done(job):
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} never reached the state asked for: {job}")
