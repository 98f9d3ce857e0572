"""A small ledger with electricity values for 2023-2024 and principals of each role."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from esgledger.auth.roles import Role
from esgledger.auth.service import Principal
from esgledger.catalog import load_catalog
from esgledger.ledger.database import unit_of_work
from esgledger.ledger.imports.apply import import_file

AUDITOR = Principal(3, "auditor", Role.AUDITOR, None)
REPORTER = Principal(2, "smelter", Role.REPORTER, frozenset({"SMELT"}))
ELECTRICITY = "energy.purchased_electricity"
ENGAGEMENT = {
    "code": "E2024",
    "title": "GHG statement 2024",
    "year": 2024,
    "standard": "ISAE 3410",
    "level": "limited",
    "entities": ["METAL", "SMELT"],
    "indicators": [ELECTRICITY],
    "common_unit": "MWh",
}


@pytest.fixture
def values(ledger: Engine, write_csv) -> Engine:
    """Monthly electricity of SMELT and METAL: 2023 flat, 2024 SMELT tripled."""
    rows = []
    for month in range(1, 13):
        for entity, base in (("SMELT", 1000), ("METAL", 200)):
            rows.append((entity, f"2023-{month:02d}", ELECTRICITY, base, "MWh", ""))
            grown = base * 3 if entity == "SMELT" else base + month
            rows.append((entity, f"2024-{month:02d}", ELECTRICITY, grown, "MWh", ""))
    path = write_csv("electricity.csv", rows)
    with unit_of_work(ledger) as session:
        import_file(session, path, "reporter", load_catalog(), submit=True)
    return ledger


# the web application on a seeded ledger, and logged-in clients (tests/web/conftest.py)
from tests.web.conftest import app, client_for, seeded_file  # noqa: E402, F401
