"""The real application under uvicorn on a free local port, for tests with parallel clients.

The in-process TestClient runs one request at a time, which can neither race two writes
nor notice a commit that lands after the response; these tests need real sockets.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import uvicorn

from esgledger.settings import Settings
from esgledger.web.app import create_app


@dataclass
class LiveServer:
    base_url: str
    tokens: dict[str, str]

    def client(self, username: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.tokens[username]}"} if username else {}
        return httpx.Client(base_url=self.base_url, headers=headers, timeout=60)


@contextmanager
def serving(url: str, tokens: dict[str, str]) -> Iterator[LiveServer]:
    """Serve the ledger at ``url`` from a background thread until the block ends."""
    app = create_app(Settings(db=url, secure_cookies=False))
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", tokens)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        listener.close()
        app.state.database.dispose()


def together(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads released at the same instant; their results in order."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)
    failures: list[BaseException] = []

    def run(index: int, call: Callable[[], Any]) -> None:
        barrier.wait()
        try:
            results[index] = call()
        except BaseException as exc:  # handed to the test's thread, which raises it
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(n, c)) for n, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return results
