"""A ledger with a small plant's meters registered."""

from __future__ import annotations

import pytest

from esgledger.ledger.database import unit_of_work
from esgledger.monitoring.meters import Meter, save_meters

METERS = [
    Meter(code="SM-E-MAIN", entity="SMELT", carrier="electricity", unit="kWh",
          indicator="energy.purchased_electricity", max_per_interval=50_000),
    Meter(code="SM-E-FURN", entity="SMELT", carrier="electricity", unit="kWh",
          parent="SM-E-MAIN", max_per_interval=20_000),
    Meter(code="SM-G-MAIN", entity="SMELT", carrier="natural_gas", unit="Nm3",
          reading="counter", rollover=1_000_000, indicator="energy.natural_gas"),
]  # fmt: skip


@pytest.fixture
def plant(ledger):
    with unit_of_work(ledger) as session:
        save_meters(session, METERS, actor="tester")
    return ledger
