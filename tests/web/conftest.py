"""A small ledger behind the web application, users of every role, and logged-in clients.

Each test gets a fresh SQLite ledger with a three-entity group, the years 2023-2024, one
user per role and a few approved values of 2023 (so that forms have a "last year").
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from esgledger.auth.roles import Role
from esgledger.auth.service import add_user
from esgledger.catalog import load_catalog
from esgledger.ledger import calendar
from esgledger.ledger.database import migrate, open_database, unit_of_work
from esgledger.ledger.entry import FormValue, save_form
from esgledger.ledger.orgstore import save_entities
from esgledger.ledger.revisions import APPROVED, Selection, change_status
from esgledger.org import Entity
from esgledger.settings import Settings
from tests.apps import serving

GROUP = [
    Entity(code="GRP", name_en="Test Group", name_zh="测试集团", kind="group"),
    Entity(
        code="SMELT",
        name_en="Smelter",
        name_zh="冶炼厂",
        kind="subsidiary",
        parent="GRP",
        grid_region="north",
        segment="smelting_separation",
        tags=("key-entity",),
    ),
    Entity(
        code="METAL",
        name_en="Metal plant",
        name_zh="金属厂",
        kind="subsidiary",
        parent="GRP",
        grid_region="north",
        segment="metals",
    ),
]
USERS = {
    "admin": Role.ADMIN,
    "manager": Role.GROUP_MANAGER,
    "reporter": Role.REPORTER,
    "auditor": Role.AUDITOR,
}
PASSWORD = "correct horse battery"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def seed_ledger(url: str) -> None:
    """Org, calendar, users, and approved values of January 2023 and of 2023."""
    database = open_database(url)
    migrate(database)
    catalog = load_catalog()
    with unit_of_work(database) as session:
        calendar.open_years(session, "setup", [2023, 2024])
        save_entities(session, "setup", GROUP)
        for name, role in USERS.items():
            entities = ["SMELT"] if role is Role.REPORTER else None
            add_user(session, "setup", name, PASSWORD, role, entities=entities)
        for entity, mwh in (("SMELT", "1000"), ("METAL", "400")):
            values = [
                FormValue("energy.purchased_electricity", mwh, "MWh"),
                FormValue("production.reo_output", "50", "tREO"),
            ]
            save_form(session, "setup", catalog, entity, "2023-01", values, submit=True)
        change_status(session, "setup", APPROVED, Selection())
    database.dispose()


@pytest.fixture(scope="session")
def seeded_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeded ledger, built once: hashing four passwords with argon2 takes a second."""
    path = tmp_path_factory.mktemp("template") / "ledger.db"
    seed_ledger(f"sqlite:///{path}")
    return path


@pytest.fixture
def app(tmp_path: Path, seeded_file: Path) -> Iterator[FastAPI]:
    """The application on this test's own copy of the seeded ledger, closed afterwards
    (tests/apps.py)."""
    path = tmp_path / "ledger.db"
    shutil.copyfile(seeded_file, path)
    with serving(Settings(db=f"sqlite:///{path}", secure_cookies=False)) as application:
        yield application


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "the page has no CSRF token"
    return found[1]


def log_in(client: TestClient, username: str, password: str = PASSWORD):
    """Log in through the login form, as a browser does."""
    client.get("/login")
    return client.post(
        "/login", data={"username": username, "password": password}, follow_redirects=False
    )


@pytest.fixture
def client_for(app: FastAPI) -> Callable[[str], TestClient]:
    """A client logged in as one of USERS (each call a new browser)."""

    def make(username: str) -> TestClient:
        client = TestClient(app)
        response = log_in(client, username)
        assert response.status_code == 303, response.text
        return client

    return make
