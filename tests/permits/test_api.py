"""/api/v1/permits: the register through the API, refusals as 4xx with coded errors."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.web.conftest import PASSWORD

PERMIT = {
    "number": "P1",
    "entity": "SMELT",
    "authority": "Baotou bureau",
    "valid_from": "2023-01-01",
    "valid_to": "2027-12-31",
}
OUTLET = {
    "permit": "P1",
    "code": "DA001",
    "medium": "air",
    "limits": [{"pollutant": "so2", "max": 300, "unit": "mg/m3"}],
}


def api_as(app, username: str) -> TestClient:
    """A client logged in through the API, sending the CSRF token with every write."""
    client = TestClient(app, raise_server_exceptions=False)
    answer = client.post("/api/v1/login", json={"username": username, "password": PASSWORD})
    client.headers["X-CSRF-Token"] = answer.json()["csrf_token"]
    return client


def test_permit_outlet_result_and_exceedance_through_the_api(app):
    api = api_as(app, "manager")
    assert api.post("/api/v1/permits", json=[PERMIT]).status_code == 201
    assert api.post("/api/v1/permits/outlets", json=[OUTLET]).status_code == 201
    result = {
        "outlet": "P1/DA001",
        "pollutant": "so2",
        "sampled_at": "2024-02-01T08:00",
        "value": 0.35,
        "unit": "g/m3",
        "method": "online",
    }
    answer = api.post("/api/v1/permits/results", json=[result])
    assert answer.status_code == 201
    (key,) = answer.json()["exceedances"]
    step = api.post(f"/api/v1/permits/exceedances/{key}", json={"step": "cause", "text": "bypass"})
    assert step.json()["fields"]["status"] == "cause_recorded"
    rates = api.get("/api/v1/permits/compliance/2024").json()
    assert rates["group"]["results"] == 1 and rates["group"]["within_limits"] == 0


def test_a_mass_limit_in_a_concentration_unit_is_a_400_that_writes_nothing(app):
    api = api_as(app, "manager")
    api.post("/api/v1/permits", json=[PERMIT])
    bad = {**OUTLET, "limits": [{"pollutant": "so2", "mass_limit": 12, "mass_unit": "mg/L"}]}
    answer = api.post("/api/v1/permits/outlets", json=[bad])
    assert answer.status_code == 400
    assert "t/a" in answer.text
    assert api.get("/api/v1/permits").json()["outlets"] == []


def test_a_reporter_cannot_write_another_sites_permit(app):
    answer = api_as(app, "reporter").post("/api/v1/permits", json=[{**PERMIT, "entity": "METAL"}])
    assert answer.status_code == 404
