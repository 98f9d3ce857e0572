"""A migrated ledger (SQLite and PostgreSQL) with a few accounts, hashed cheaply."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from esgledger.auth import passwords
from esgledger.auth.roles import Role
from esgledger.auth.service import add_user
from esgledger.ledger.database import unit_of_work
from tests.api.conftest import FAST_HASHER

PASSWORD = "tractor lantern oyster"
ACCOUNTS = {"admin": Role.ADMIN, "manager": Role.GROUP_MANAGER, "auditor": Role.AUDITOR}


@pytest.fixture
def accounts(database: Engine) -> Engine:
    """The ledger with ACCOUNTS, all with PASSWORD (cheap argon2 parameters)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "_HASHER", FAST_HASHER)
        with unit_of_work(database) as session:
            for name, role in ACCOUNTS.items():
                add_user(session, "tester", name, PASSWORD, role)
    return database
