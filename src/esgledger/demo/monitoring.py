"""The demo's meters and early-warning rules (data/monitoring/), loaded into the ledger."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from esgledger.ledger.database import unit_of_work
from esgledger.monitoring.meters import read_meter_file, save_meters
from esgledger.monitoring.rules import read_rule_file, save_rules

DATA = Path(__file__).parent / "data" / "monitoring"


def load_monitoring(database: Engine, actor: str) -> None:
    """Register the demo smelter's meters and rules (a simulated feed then fills them)."""
    with unit_of_work(database) as session:
        save_meters(session, read_meter_file(DATA / "meters.yaml"), actor=actor)
        save_rules(session, read_rule_file(DATA / "rules.yaml"), actor=actor)
