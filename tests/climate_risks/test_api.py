"""The register through /api/v1/climate: writes checked and scoped, bad input refused whole."""

from __future__ import annotations

from tests.api.conftest import Api
from tests.climate_risks.items import item

URL = "/api/v1/climate/risks"


def _body(**changes: object) -> dict:
    fields = item(**changes)
    fields.pop("key")
    fields["targets"] = []  # the test application has no targets file
    fields["metrics"] = ["ghg.scope1"]
    return fields


def test_an_item_is_added_changed_and_read_with_its_history(api: Api) -> None:
    admin = api.client("admin")
    added = admin.put(f"{URL}/CR-01", params={"expected_version": 0}, json=_body())
    assert added.status_code == 200, added.text
    assert added.json()["grade"] == "high" and added.json()["anticipated_cny"] == [1e6, 5e6]
    changed = admin.put(
        f"{URL}/CR-01", params={"expected_version": 1, "reason": "ETS"}, json=_body(impact=5)
    )
    assert changed.json()["version"] == 2
    stale = admin.put(f"{URL}/CR-01", params={"expected_version": 1}, json=_body(impact=1))
    assert stale.status_code == 409
    detail = admin.get(f"{URL}/CR-01").json()
    assert [v["fields"]["impact"] for v in detail["history"]] == [3, 5]
    cells = admin.get("/api/v1/climate/heatmap").json()
    assert cells[1][4]["keys"] == ["CR-01"]  # likelihood 4 (second row from the top), impact 5


def test_bad_input_is_refused_in_chinese_and_nothing_is_written(api: Api) -> None:
    admin = api.client("admin")
    admin.headers["Accept-Language"] = "zh-CN"
    bad = _body(likelihood=9, metrics=["ghg.nothing"])
    bad["metrics"] = ["ghg.nothing"]
    bad["anticipated_effect"] = {"low": 9, "high": 1, "line": "revenue"}
    response = admin.put(f"{URL}/CR-09", json=bad)
    assert response.status_code == 422
    codes = sorted(e["code"] for e in response.json()["errors"])
    assert codes == ["climate_risks.off_scale", "climate_risks.range_order",
                     "climate_risks.unknown_indicator"]  # fmt: skip
    assert "超出量表范围" in response.text
    assert admin.get(f"{URL}/CR-09").status_code == 404


def test_reporters_are_kept_to_their_entities(api: Api) -> None:
    api.client("admin").put(f"{URL}/CR-METAL", json=_body(entities=["METAL"]))
    smelt = api.client("smelt")
    assert smelt.put(f"{URL}/CR-S", json=_body(entities=["SMELT"])).status_code == 200
    assert smelt.put(f"{URL}/CR-X", json=_body(entities=["SMELT", "METAL"])).status_code == 404
    assert [i["key"] for i in smelt.get(URL).json()] == ["CR-S"]
    assert smelt.get(f"{URL}/CR-METAL").status_code == 404
    assert smelt.get("/api/v1/climate/scenarios").status_code == 403
    assert api.client("auditor").put(f"{URL}/CR-A", json=_body()).status_code == 403


def test_filters_and_retirement(api: Api) -> None:
    admin = api.client("admin")
    admin.put(f"{URL}/CR-01", json=_body())
    admin.put(f"{URL}/CO-01", json=_body(category="opportunity.markets", horizon="long"))
    assert [i["key"] for i in admin.get(URL, params={"kind": "opportunity"}).json()] == ["CO-01"]
    assert [i["key"] for i in admin.get(URL, params={"horizon": "medium"}).json()] == ["CR-01"]
    assert admin.delete(f"{URL}/CR-01", params={"reason": "merged"}).status_code == 204
    assert [i["key"] for i in admin.get(URL).json()] == ["CO-01"]
    assert admin.get("/api/v1/climate/scenarios").status_code == 404
