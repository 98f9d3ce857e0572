"""40 wrong passwords sent at once to a real server: at most 5 are checked, on both databases.

The application runs under uvicorn in a process of its own on a free local port, as
`esgledger serve` runs it; 40 clients, each with its own connection, are released
together by a barrier.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import Engine, func, select, text

from esgledger.auth import throttle
from esgledger.auth.schema import LoginAttempt
from esgledger.ledger.database import unit_of_work

GUESSES = 40


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _server_url(database: Engine) -> str:
    """The URL the server needs to open this test's database (its PostgreSQL schema too)."""
    url = database.url
    if url.get_backend_name() == "postgresql":
        with database.connect() as connection:
            schema = connection.execute(text("SHOW search_path")).scalar()
        url = url.update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


@pytest.fixture
def server(accounts: Engine) -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "ESGLEDGER_DB": _server_url(accounts), "ESGLEDGER_SECURE_COOKIES": "0"}
    command = [sys.executable, "-m", "uvicorn", "esgledger.web.app:create_app", "--factory"]
    process = subprocess.Popen(
        [*command, "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"], env=env
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_it_answers(base, process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_until_it_answers(base: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server stopped"
        try:
            httpx.get(f"{base}/login", timeout=2)
            return
        except httpx.TransportError:  # not listening yet
            time.sleep(0.2)
    raise AssertionError("the server did not answer within 120 s")


def test_parallel_wrong_guesses_get_five_checks_and_429_for_the_rest(server, accounts):
    start = threading.Barrier(GUESSES)

    def guess(n: int) -> httpx.Response:
        with httpx.Client(base_url=server, timeout=60) as client:
            start.wait()
            body = {"username": "manager", "password": f"guess number {n}"}
            return client.post("/api/v1/login", json=body)

    with ThreadPoolExecutor(GUESSES) as pool:
        responses = list(pool.map(guess, range(GUESSES)))
    statuses = Counter(r.status_code for r in responses)
    with unit_of_work(accounts) as session:
        checked = session.scalar(select(func.count()).where(LoginAttempt.username == "manager"))
    assert checked == throttle.ACCOUNT_LIMIT
    assert statuses == {401: checked, 429: GUESSES - checked}, statuses
    for refused in (r for r in responses if r.status_code == 429):
        assert 0 < int(refused.headers["Retry-After"]) <= 15 * 60
        assert "too many failed logins" in refused.json()["error"]["message"]
