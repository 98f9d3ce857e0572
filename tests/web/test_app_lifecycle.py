"""An application started and stopped many times (as tests and reloading servers do)
leaves no file open behind it: the queue's connection and the ledger's pool are closed
when it stops, and reopen when it serves again."""

from __future__ import annotations

import os
import shutil
import sys

import pytest
from fastapi.testclient import TestClient

from esgledger.settings import Settings
from esgledger.web.app import create_app

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="counts open files through /proc"
)


def open_files(folder) -> list[str]:
    """This process's open files inside ``folder``."""
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:  # closed between the listing and the look
            continue
        if target.startswith(str(folder)):
            found.append(target)
    return found


def test_starting_and_stopping_the_application_keeps_no_file_open(tmp_path, seeded_file):
    shutil.copyfile(seeded_file, tmp_path / "ledger.db")
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    app = create_app(Settings(db=url, secure_cookies=False, embedded_worker=True))
    for _ in range(3):
        with TestClient(app) as client:
            assert client.get("/login").status_code == 200
            client.cookies.set("esgledger_session", "no-such-session")
            assert client.get("/api/v1/me").status_code == 401  # read on the event loop
    assert open_files(tmp_path) == []
    with TestClient(app) as client:  # and it serves again after
        assert client.get("/login").status_code == 200
