"""The demo's story end to end: a simulated plant feed over the real MQTT broker trips an
early warning, and the month's rollup reconciles with the ledger's monthly value."""

from __future__ import annotations

import threading
import time
import uuid

import pytest

from esgledger.catalog import load_catalog
from esgledger.demo.monitoring import load_monitoring
from esgledger.ledger.database import unit_of_work
from esgledger.ledger.imports.apply import import_file
from esgledger.monitoring.alerts import open_alerts
from esgledger.monitoring.listen import Listener
from esgledger.monitoring.reconcile import reconcile
from esgledger.monitoring.simulate import plan_feed, publish
from tests.monitoring.test_mqtt_listener import broker_up

TZ = "Asia/Shanghai"
pytestmark = pytest.mark.skipif(not broker_up(), reason="no MQTT broker at 127.0.0.1:1883")


def test_a_simulated_month_trips_the_profile_rule_and_reconciles(ledger, write_csv):
    catalog = load_catalog()
    load_monitoring(ledger, "tester")
    rows = [("SMELT", "2024-12", "energy.purchased_electricity", "2890", "MWh", "")]
    with unit_of_work(ledger) as session:
        import_file(session, write_csv("dec.csv", rows), "tester", catalog)
        messages = plan_feed(session, catalog, "2024-12", TZ, "SMELT")
    tag = uuid.uuid4().hex[:10]
    listener = Listener(ledger, tz=TZ, client_id=f"sim-{tag}", topic=f"sim/{tag}/#")
    stop = threading.Event()
    listener.start()
    worker = threading.Thread(target=listener.run, args=(stop,), daemon=True)
    worker.start()
    try:
        assert sum(1 for _ in publish(messages, host="127.0.0.1", port=1883,
                                      topic=f"sim/{tag}/feed")) == len(messages)  # fmt: skip
        deadline = time.monotonic() + 120
        while listener.stats.messages < len(messages) and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        stop.set()
        worker.join(60)
        listener.stop()
    with unit_of_work(ledger) as session:
        alerts = [a.key for a in open_alerts(session)]
        [month] = reconcile(session, "2024-12", TZ, catalog)
    assert alerts == ["SMELT-E-PROFILE/SMELT-E-FURN2/2024-12-31"]
    assert month.rollup == pytest.approx(2890, rel=1e-9)
    assert month.ledger_difference == pytest.approx(0, abs=1e-9) and not month.flagged
