"""Meter readings by API: stored, bad ones dead-lettered, checks run, scope kept."""

from __future__ import annotations

from esgledger.monitoring.meters import Meter, save_meters
from esgledger.monitoring.rules import Rule, save_rules

READING = {"meter": "SM-E", "at": "2024-05-29T08:00:00+08:00", "value": 900_000.0}


def setup(api):
    with api.session() as session:
        save_meters(session, [Meter(code="SM-E", entity="SMELT", carrier="electricity",
                                    unit="kWh")], actor="tester")  # fmt: skip
        save_rules(session, [Rule(id="Q", entity="SMELT", carrier="electricity", kind="quota",
                                  limit=100, unit="MWh")], actor="tester")  # fmt: skip


def test_readings_are_stored_and_an_alert_opens(api):
    setup(api)
    client = api.client("smelt")
    body = {"messages": [READING, {"meter": "SM-E", "at": "yesterday", "value": 1}]}
    answer = client.post("/api/v1/monitoring/readings", json=body)
    assert answer.status_code == 200, answer.text
    outcome = answer.json()
    assert (outcome["inserted"], outcome["dead_letters"]) == (1, 1)
    assert outcome["alerts_opened"] == ["Q/SMELT/2024-05-29"]
    again = client.post("/api/v1/monitoring/readings", json={"messages": [READING]}).json()
    assert (again["inserted"], again["repeated"], again["alerts_opened"]) == (0, 1, [])
    alerts = client.get("/api/v1/monitoring/alerts").json()
    assert [a["key"] for a in alerts] == ["Q/SMELT/2024-05-29"]


def test_a_reporter_may_not_send_another_entitys_meter(api):
    setup(api)
    answer = api.client("metal").post("/api/v1/monitoring/readings", json={"messages": [READING]})
    assert answer.status_code == 404
    assert api.client("auditor").post("/api/v1/monitoring/readings",
                                      json={"messages": [READING]}).status_code == 403  # fmt: skip
