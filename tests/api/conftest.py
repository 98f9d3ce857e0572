"""A fresh ledger and application per test, with one user of each role.

Users: ``admin``, ``manager`` (group manager), ``smelt`` (reporter of SMELT), ``metal``
(reporter of METAL) and ``auditor``, all with the password :data:`PASSWORD`. Clients
authenticate with API tokens, except where a test logs in to exercise cookies and CSRF.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from esgledger.auth import credentials, passwords, service
from esgledger.auth.roles import Role
from esgledger.ledger import calendar
from esgledger.ledger.database import migrate, open_database, unit_of_work
from esgledger.ledger.orgstore import save_entities
from esgledger.settings import Settings
from tests.apps import serving
from tests.conftest import SMALL_GROUP

PASSWORD = "correct-horse-7"
USERS: dict[str, tuple[Role, list[str] | None]] = {
    "admin": (Role.ADMIN, None),
    "manager": (Role.GROUP_MANAGER, None),
    "smelt": (Role.REPORTER, ["SMELT"]),
    "metal": (Role.REPORTER, ["METAL"]),
    "auditor": (Role.AUDITOR, None),
}
REO = "production.reo_output"
GAS = "energy.natural_gas"


@dataclass
class Api:
    """The application under test and a way to act as each user."""

    app: FastAPI
    tokens: dict[str, str]

    def client(self, username: str | None = None) -> TestClient:
        """A client acting as ``username`` by API token (None: nobody)."""
        client = TestClient(self.app, raise_server_exceptions=False)
        if username is not None:
            client.headers["Authorization"] = f"Bearer {self.tokens[username]}"
        return client

    def login(self, username: str) -> tuple[TestClient, str]:
        """A client holding a session cookie, and the CSRF token writes must send."""
        client = TestClient(self.app, raise_server_exceptions=False)
        response = client.post("/api/v1/login", json={"username": username, "password": PASSWORD})
        assert response.status_code == 200, response.text
        return client, response.json()["csrf_token"]

    def session(self) -> AbstractContextManager[Session]:
        return unit_of_work(self.app.state.database)

    def save(self, entity: str, period: str, values: dict[str, Any], submit: bool = False):
        """Save values as the admin through the form endpoint; returns the response."""
        body = {
            "entity": entity,
            "period": period,
            "submit": submit,
            "values": [
                {"indicator": i, "value": v, "seen_revision": self.revision(entity, period, i)}
                for i, v in values.items()
            ],
        }
        response = self.client("admin").post("/api/v1/observations", json=body)
        assert response.status_code == 200, response.text
        return response

    def submitted(self, **params: str) -> list[int]:
        """The revision ids of the submitted observations (a reviewer's view), by filter."""
        query = {"status": "submitted", "limit": 1000, **params}
        items = self.client("admin").get("/api/v1/observations", params=query).json()["items"]
        return [o["revision"] for o in items]

    def approve_submitted(self, username: str = "manager", **params: str):
        """Approve what is submitted now, as a reviewer who looked at it; the response."""
        body = {"revisions": self.submitted(**params)}
        return self.client(username).post("/api/v1/workflow/approve", json=body)

    def revision(self, entity: str, period: str, indicator: str) -> int | None:
        """The current revision id of one observation (None if there is none)."""
        found = (
            self.client("admin")
            .get(
                "/api/v1/observations",
                params={"entity": entity, "period": period, "indicator": indicator},
            )
            .json()["items"]
        )
        exact = [o for o in found if o["period"] == period]
        return exact[0]["revision"] if exact else None


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2 parameters: the tests check the flow, not the hash's strength."""
    monkeypatch.setattr(passwords, "_HASHER", FAST_HASHER)


FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture(scope="session")
def template_ledger(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A migrated ledger with the group, the years and the users, built once and copied.

    Migrating and adding users for every test would dominate the suite's time; a copy of
    the file gives each test the same fresh start.
    """
    path = tmp_path_factory.mktemp("template") / "ledger.db"
    database = open_database(f"sqlite:///{path}")
    migrate(database)
    tokens = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "_HASHER", FAST_HASHER)
        with unit_of_work(database) as session:
            calendar.open_years(session, "tester", [2023, 2024])
            save_entities(session, "tester", SMALL_GROUP)
            for name, (role, entities) in USERS.items():
                user = service.add_user(session, "tester", name, PASSWORD, role, entities=entities)
                tokens[name] = credentials.create_api_token(session, user, "tests")
    database.dispose()  # the last connection checkpoints the WAL into the file
    return path, tokens


@pytest.fixture
def api(tmp_path: Path, template_ledger: tuple[Path, dict[str, str]]) -> Iterator[Api]:
    """The application on a fresh copy of the template ledger."""
    template, tokens = template_ledger
    shutil.copyfile(template, tmp_path / "ledger.db")
    with serving(Settings(db=f"sqlite:///{tmp_path / 'ledger.db'}", secure_cookies=False)) as app:
        yield Api(app, tokens)
