"""The upload endpoint reads a file in a plugin's import layout, as `esgledger import` does."""

from __future__ import annotations

from esgledger import plugins
from tests.plugins import acme_layouts

BILL = b"meter,site,billing_month,kwh\nM-001,SMELT,2024-01,125000\n"


def test_an_upload_in_a_plugin_layout_is_imported(api):
    name = plugins.register(acme_layouts)
    try:
        admin = api.client("admin")
        done = admin.post("/api/v1/imports", files={"file": ("bill.csv", BILL, "text/csv")})
    finally:
        plugins.unregister(name)
    assert done.status_code == 200, done.text
    params = {"entity": "SMELT", "indicator": "energy.purchased_electricity"}
    values = admin.get("/api/v1/observations", params=params).json()["items"]
    assert [(v["period"], v["value"], v["comment"]) for v in values] == [
        ("2024-01", 125.0, "meter M-001")  # MWh, the catalog unit
    ]


def test_without_the_plugin_the_same_upload_is_refused_with_the_long_layout_message(api):
    admin = api.client("admin")
    refused = admin.post("/api/v1/imports", files={"file": ("bill.csv", BILL, "text/csv")})
    assert refused.status_code == 400, refused.text
    assert "the header lacks entity, period, indicator" in refused.text
