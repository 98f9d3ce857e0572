"""The demo's meters and early-warning rules (data/monitoring/), loaded into the ledger,
and the readings of the months before the simulated December.

``esgledger monitor simulate --month 2024-12`` then sends December over MQTT; the two
months before it are written here through the same ingest as any batch (``plan_feed``
spreads each month's ledger value over its 15-minute intervals, without the runaway
furnace), so the dashboard has a load profile, trends and a baseline from the start.
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Engine

from esgledger.catalog.registry import Catalog
from esgledger.ledger.database import unit_of_work
from esgledger.monitoring.ingest import ingest_messages
from esgledger.monitoring.meters import read_meter_file, save_meters
from esgledger.monitoring.rules import read_rule_file, save_rules
from esgledger.monitoring.simulate import plan_feed

DATA = Path(__file__).parent / "data" / "monitoring"
SITE, TIME_ZONE = "SMELT", "Asia/Shanghai"
HISTORY = ("2024-10", "2024-11")


def load_monitoring(database: Engine, actor: str, catalog: Catalog | None = None) -> int:
    """Register the demo smelter's meters and rules and, given the catalog, write the
    readings of the HISTORY months; the number of readings written."""
    with unit_of_work(database) as session:
        save_meters(session, read_meter_file(DATA / "meters.yaml"), actor=actor)
        save_rules(session, read_rule_file(DATA / "rules.yaml"), actor=actor)
    written = 0
    for month in HISTORY if catalog is not None else ():
        with unit_of_work(database) as session:
            messages = plan_feed(session, catalog, month, TIME_ZONE, SITE, spike=1.0)
            payloads = [json.dumps(m) for m in messages]
            written += ingest_messages(session, payloads, "demo").written.inserted
    return written
