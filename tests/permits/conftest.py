"""A ledger with two sites and principals of each kind for the permits register."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from esgledger.auth.roles import Role
from esgledger.auth.service import Principal

SITES = ("SMELT", "METAL")
MANAGER = Principal(1, "manager", Role.GROUP_MANAGER, None)
REPORTER = Principal(2, "reporter", Role.REPORTER, frozenset({"SMELT"}))


@pytest.fixture
def ledger_db(database: Engine) -> Engine:
    return database


# the web application on a seeded ledger, and logged-in clients (tests/web/conftest.py)
from tests.report.conftest import catalog, demo_report  # noqa: E402, F401
from tests.web.conftest import app, client_for, seeded_file  # noqa: E402, F401
