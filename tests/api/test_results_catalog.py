"""Reading what the engine computes, the catalog, factor sets and snapshots."""

from __future__ import annotations

import pytest

from tests.api.conftest import GAS, REO


@pytest.fixture
def approved(api):
    api.save("SMELT", "2024", {REO: "5000", GAS: "100"}, submit=True)
    api.save("METAL", "2024", {REO: "700"}, submit=True)
    api.approve_submitted()
    return api


def test_results_are_long_rows_with_units_and_estimated_shares(approved):
    client = approved.client("manager")
    rows = client.get(
        "/api/v1/results", params={"indicator": "energy.total", "year": 2024, "limit": 1000}
    ).json()["items"]
    by_code = {r["code"]: r for r in rows}
    assert by_code["SMELT"]["unit"] == "tce" and by_code["SMELT"]["level"] == "entity"
    assert by_code["group"]["level"] == "boundary"
    assert by_code["SMELT"]["estimated_share"] == 0.0
    assert by_code["group"]["value"] == pytest.approx(by_code["SMELT"]["value"])
    assert {r["method_set"] for r in rows} == {"cn-default"}


def test_results_refuse_unknown_method_sets_and_years_that_are_not_open(approved):
    client = approved.client("manager")
    assert client.get("/api/v1/results", params={"methods": "nope"}).status_code == 404
    assert client.get("/api/v1/results", params={"year": 2030}).status_code == 404
    assert client.get("/api/v1/results", params={"methods": "A B"}).status_code == 422


def test_explain_walks_down_to_the_observations(approved):
    params = {"indicator": "energy.total", "code": "SMELT", "period": "2024", "depth": 4}
    tree = approved.client("smelt").get("/api/v1/explain", params=params).json()
    assert tree["indicator"] == "energy.total" and tree["value"] > 0

    def leaves(node):
        yield from node["observations"]
        for child in node["children"]:
            yield from leaves(child)

    assert any(o["revision_id"] for o in leaves(tree))


def test_explain_answers_404_for_unknown_codes_periods_and_indicators(approved):
    client = approved.client("manager")
    base = {"indicator": "energy.total", "code": "SMELT", "period": "2024"}
    assert client.get("/api/v1/explain", params={**base, "code": "NOPE"}).status_code == 404
    assert client.get("/api/v1/explain", params={**base, "period": "2024-03"}).status_code == 404
    unknown = client.get("/api/v1/explain", params={**base, "indicator": "energy.totl"})
    assert unknown.status_code == 404 and "energy.total" in unknown.json()["error"]["message"]
    group = client.get("/api/v1/explain", params={**base, "code": "group"})
    assert group.status_code == 200 and group.json()["recipe"] == "consolidated"


def test_the_dashboard_shows_the_group_to_managers(approved):
    data = approved.client("manager").get("/api/v1/dashboard").json()
    assert data["years"] == ["2023", "2024"]
    assert {e["code"] for e in data["emissions"]} == {"group", "GRP", "METAL", "SMELT"}
    assert any(row["carrier"] == GAS for row in data["energy_mix"])


def test_results_on_an_empty_ledger_are_empty_not_an_error(api):
    assert api.client("manager").get("/api/v1/results").json()["total"] == 0
    assert api.client("manager").get("/api/v1/dashboard").status_code == 200


def test_the_catalog_filters_by_topic_kind_and_text(api):
    client = api.client("smelt")
    energy = client.get("/api/v1/indicators", params={"topic": "energy", "limit": 1000}).json()
    assert energy["total"] and {i["topic"] for i in energy["items"]} == {"energy"}
    derived = client.get("/api/v1/indicators", params={"kind": "derived", "limit": 1000}).json()
    assert {i["kind"] for i in derived["items"]} == {"derived"}
    gas = client.get("/api/v1/indicators", params={"q": "天然气"}).json()
    assert GAS in [i["id"] for i in gas["items"]]
    one = client.get(f"/api/v1/indicators/{GAS}").json()
    assert one["unit"] == "Nm3" and one["name_zh"]
    total = client.get("/api/v1/indicators/energy.total").json()
    assert total["recipe"] == "adds" and "energy.fossil_total" in total["depends_on"]
    assert client.get("/api/v1/indicators/energy.gass").status_code == 404


def test_factor_sets_list_citations_and_confidence_counts(api):
    sets = api.client("auditor").get("/api/v1/factor-sets", params={"limit": 1000}).json()
    assert sets["total"] == len(sets["items"]) > 0
    first = sets["items"][0]
    assert first["source"] and first["factor_count"] == sum(first["confidence"].values())


def test_snapshots_pin_approved_values_and_repeat_without_copies(approved):
    manager = approved.client("manager")
    first = manager.post("/api/v1/snapshots").json()
    assert first["created"] is True and first["observations"] == 3
    again = manager.post("/api/v1/snapshots").json()
    assert again["created"] is False and again["id"] == first["id"]
    listed = approved.client("auditor").get("/api/v1/snapshots").json()
    assert [s["content_hash"] for s in listed["items"]] == [first["content_hash"]]
    detail = manager.get(f"/api/v1/snapshots/{first['id']}", params={"limit": 2}).json()
    assert detail["values"]["total"] == 3 and len(detail["values"]["items"]) == 2
    assert manager.get("/api/v1/snapshots/99").status_code == 404
    audit = approved.client("auditor").get("/api/v1/audit", params={"action": "snapshot"})
    assert audit.json()["total"] == 1


@pytest.fixture
def monthly(api):
    api.save("SMELT", "2024-03", {GAS: "30"}, submit=True)
    api.save("SMELT", "2024-04", {GAS: "70"}, submit=True)
    api.save("METAL", "2024", {GAS: "50"}, submit=True)
    api.approve_submitted()
    return api


def _values(client, **params) -> dict[tuple[str, str], float]:
    rows = client.get("/api/v1/results", params={"indicator": GAS, **params}).json()["items"]
    return {(r["code"], r["period"]): r["value"] for r in rows}


def test_results_take_a_month_and_hold_only_that_month(monthly):
    client = monthly.client("manager")
    # March: only the smelter reported months; the metal plant's year is not spread
    march = _values(client, period="2024-03")
    assert march[("SMELT", "2024-03")] == march[("group", "2024-03")] == 30.0
    assert {period for _, period in march} == {"2024-03"} and ("METAL", "2024-03") not in march
    # the year adds the months and the value reported for the whole year
    year = _values(client, period="2024")
    assert year[("group", "2024")] == 150.0 and year[("METAL", "2024")] == 50.0
    assert _values(client, year=2024, period="2024-04")[("group", "2024-04")] == 70.0


def test_results_refuse_a_period_that_was_not_computed(monthly):
    client = monthly.client("manager")
    assert client.get("/api/v1/results", params={"period": "2024-Q1"}).status_code == 404
    assert client.get("/api/v1/results", params={"period": "2030-03"}).status_code == 404
    mismatch = client.get("/api/v1/results", params={"period": "2024-03", "year": 2023})
    assert mismatch.status_code == 404 and "not in year 2023" in mismatch.json()["error"]["message"]


def test_explain_takes_a_month_and_a_year_lists_its_months(monthly):
    client = monthly.client("manager")
    base = {"indicator": GAS, "code": "SMELT"}
    month = client.get("/api/v1/explain", params={**base, "period": "2024-03"}).json()
    assert month["value"] == 30.0 and month["observations"][0]["period"] == "2024-03"
    total = {**base, "indicator": "energy.total", "period": "2024"}
    year = client.get("/api/v1/explain", params=total).json()
    assert year["recipe"] == "months"
    assert [p["label"] for p in year["parts"]] == ["2024-03", "2024-04"]


def test_results_by_month_list_every_month_and_the_dashboard_the_groups(monthly):
    client = monthly.client("manager")
    months = _values(client, by="month")
    assert months[("SMELT", "2024-03")] == 30.0 and months[("SMELT", "2024-04")] == 70.0
    assert months[("group", "2024-04")] == 70.0
    # months only (no year rows), and the metal plant, which reported the year, has none
    assert {period for _, period in months} == {"2024-03", "2024-04"}
    assert not any(code == "METAL" for code, _ in months)
    assert (
        client.get("/api/v1/results", params={"by": "month", "period": "2024"}).status_code == 404
    )
    data = client.get("/api/v1/dashboard").json()
    assert data["months"][0] == "2023-01" and data["months"][-1] == "2024-12"
    energy = {r["period"]: r["value"] for r in data["monthly"] if r["indicator"] == "energy.total"}
    assert set(energy) == {"2024-03", "2024-04"}  # the group's months only
    assert {r["code"] for r in data["monthly"]} == {"group"}
