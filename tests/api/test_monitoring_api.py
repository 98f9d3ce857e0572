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


def test_a_month_far_off_its_usual_months_is_written_and_flagged_in_the_answer(api):
    # eleven ordinary months of gas (Nm3), then December typed ten times too large
    months = [100, 96, 104, 99, 101, 98, 102, 97, 103, 100, 99]
    for month, value in enumerate(months, start=1):
        answer = api.save("SMELT", f"2024-{month:02d}", {"energy.natural_gas": str(value)})
        assert answer.json()["unusual_months"] == []
    december = api.save("SMELT", "2024-12", {"energy.natural_gas": "1000"}).json()
    [flag] = december["unusual_months"]
    # the median of the twelve months is (100 + 100) / 2 = 100: December is 10.0 times it
    assert (flag["period"], flag["median"], round(flag["ratio"], 1)) == ("2024-12", 100.0, 10.0)
    assert december["new_revisions"] == 1  # written all the same, for review to decide
