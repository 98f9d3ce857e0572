"""The monitoring page: a site's meters and trend, alerts acknowledged and resolved,
dead letters for reviewers; a monthly value ten times too large flagged in review."""

from __future__ import annotations

import json
from html import unescape

from esgledger.catalog import load_catalog
from esgledger.ledger.database import unit_of_work
from esgledger.ledger.entry import FormValue, save_form
from esgledger.monitoring.alerts import Finding, open_alerts, raise_alerts
from esgledger.monitoring.ingest import ingest_messages
from esgledger.monitoring.meters import Meter, save_meters
from tests.web.conftest import csrf_of

KEY = "quota/SMELT/2024-05-29"


def seed(app):
    with unit_of_work(app.state.database) as session:
        save_meters(session, [Meter(code="SM-E", entity="SMELT", carrier="electricity",
                                    unit="kWh", indicator="energy.purchased_electricity")],
                    actor="setup")  # fmt: skip
        ingest_messages(
            session,
            [
                "{broken",
                json.dumps({"meter": "SM-E", "at": "2024-05-29T08:00:00+08:00", "value": 12.5}),
            ],
            "mqtt",
        )
        said = {"carrier": "electricity", "unit": "MWh", "used": "9.6", "limit": "5.0"}
        finding = Finding("quota", "quota", "SMELT", "SMELT", "2024-05-29", "over quota", {},
                          "monitor_alert.quota_day", said)  # fmt: skip
        raise_alerts(session, [finding], actor="setup")


def test_the_page_shows_meters_trend_alerts_and_dead_letters(app, client_for):
    seed(app)
    page = unescape(client_for("manager").get("/monitoring?entity=SMELT").text)
    assert 'data-key="quota/SMELT/2024-05-29"' in page and "SM-E" in page
    assert "12.5" in page  # the day total of May 29 in the trend
    assert "{broken" in page  # the refused message, whole
    chinese = unescape(
        client_for("manager").get("/monitoring", headers={"Accept-Language": "zh"}).text
    )
    assert "超出定额" in chinese and "消息不是读数" in chinese
    assert "电力：已用 9.6 MWh，超过日定额 5.0 MWh" in chinese and "over quota" not in chinese
    assert "Electricity: 9.6 MWh used, over the daily quota of 5.0 MWh" in page


def test_an_alert_is_acknowledged_then_resolved_from_the_page(app, client_for):
    seed(app)
    manager = client_for("manager")
    token = csrf_of(manager.get("/monitoring").text)
    ack = manager.post("/monitoring/alerts/ack", data={"csrf_token": token, "key": KEY},
                       follow_redirects=False)  # fmt: skip
    assert ack.status_code == 303
    refused = manager.post("/monitoring/alerts/resolve",
                           data={"csrf_token": token, "key": KEY, "cause": " "})  # fmt: skip
    assert refused.status_code == 400
    done = manager.post("/monitoring/alerts/resolve",
                        data={"csrf_token": token, "key": KEY, "cause": "furnace relined"},
                        follow_redirects=False)  # fmt: skip
    assert done.status_code == 303
    with unit_of_work(app.state.database) as session:
        assert open_alerts(session) == []


def test_a_reporter_does_not_see_dead_letters_or_other_sites_alerts(app, client_for):
    seed(app)
    page = client_for("reporter").get("/monitoring").text
    assert 'data-test="dead-letters"' not in page
    assert client_for("reporter").get("/monitoring?entity=METAL").status_code == 404


def test_review_flags_a_monthly_value_ten_times_too_large(app, client_for):
    values = [2850, 2790, 3010, 2920, 2880, 29000]  # June typed ten times too large
    with unit_of_work(app.state.database) as session:
        for month, mwh in enumerate(values, start=1):
            value = FormValue("energy.purchased_electricity", str(mwh), "MWh")
            save_form(session, "setup", load_catalog(), "SMELT", f"2024-{month:02d}", [value])
    page = client_for("manager").get("/review/SMELT/2024?status=all").text
    assert page.count('data-test="outlier"') == 1


def test_the_api_words_alerts_in_the_requests_language(app, client_for):
    seed(app)
    manager = client_for("manager")
    (alert,) = manager.get("/api/v1/monitoring/alerts", headers={"Accept-Language": "zh"}).json()
    assert alert["message"] == "电力：已用 9.6 MWh，超过日定额 5.0 MWh"
    (alert,) = manager.get("/api/v1/monitoring/alerts").json()
    assert alert["message"].startswith("Electricity: 9.6 MWh used")
