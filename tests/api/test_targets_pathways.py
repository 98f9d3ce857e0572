"""Targets and pathways over HTTP, on a copy of the demo ledger (built once per run).

Users besides the demo's own: ``api-admin``, ``api-manager``, ``api-smelter`` (reporter of
the Smelting Branch) and ``api-auditor``, with API tokens.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from esgledger.api.routers import pathways as pathways_router
from esgledger.auth import credentials, passwords, service
from esgledger.auth.roles import Role
from esgledger.demo.generate import DATA_DIR, factor_file
from esgledger.ledger.database import open_database, unit_of_work
from esgledger.settings import Settings
from esgledger.web.app import create_app
from tests.api.conftest import FAST_HASHER, PASSWORD
from tests.conftest import SharedDemo

USERS = {
    "api-admin": (Role.ADMIN, None),
    "api-manager": (Role.GROUP_MANAGER, None),
    "api-smelter": (Role.REPORTER, ["SMELT"]),
    "api-auditor": (Role.AUDITOR, None),
}
DEMO_SCENARIOS = ["business_as_usual", "efficiency_green_process", "green_power_push"]
GETS = [
    "/api/v1/targets",
    "/api/v1/targets/energy-total-cap",
    "/api/v1/scenarios",
    "/api/v1/scenarios/business_as_usual",
    "/api/v1/scenarios/business_as_usual/run",
    "/api/v1/scenarios/compare",
]


class Demo:
    """The application on the demo ledger, and a client acting as each user."""

    def __init__(self, app, tokens: dict[str, str]) -> None:
        self.app, self.tokens = app, tokens

    def client(self, username: str | None = None) -> TestClient:
        client = TestClient(self.app, raise_server_exceptions=False)
        if username is not None:
            client.headers["Authorization"] = f"Bearer {self.tokens[username]}"
        return client


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, demo_ledger: SharedDemo) -> Iterator[Demo]:
    url = demo_ledger.copy_to(tmp_path_factory.mktemp("demo-api"))  # the users are added to it
    database = open_database(url)
    tokens = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "_HASHER", FAST_HASHER)
        with unit_of_work(database) as session:
            for name, (role, entities) in USERS.items():
                user = service.add_user(session, "tester", name, PASSWORD, role, entities=entities)
                tokens[name] = credentials.create_api_token(session, user, "tests")
    database.dispose()
    settings = Settings(
        db=url,
        secure_cookies=False,
        factor_files=[str(factor_file())],
        targets=DATA_DIR / "targets.yaml",  # the demo's files, passed as the demo passes them
        scenarios=DATA_DIR / "scenarios",
    )
    app = create_app(settings)
    yield Demo(app, tokens)
    app.state.database.dispose()


@pytest.fixture
def settings(demo: Demo) -> Settings:
    return demo.app.state.settings


def scenario_body(demo: Demo, name: str = "green_power_push") -> dict:
    response = demo.client("api-manager").get(f"/api/v1/scenarios/{name}")
    assert response.status_code == 200, response.text
    return response.json()


# --- access ------------------------------------------------------------------------------


def test_nobody_gets_401(demo):
    client = demo.client()
    for url in GETS:
        assert client.get(url).status_code == 401, url
    response = client.post("/api/v1/pathways/run", json={"name": "x"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "Unauthorized"


def test_reporters_get_403_because_targets_are_group_totals(demo):
    client = demo.client("api-smelter")
    for url in GETS:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "group, segment and key-entity totals" in response.json()["error"]["message"]
    assert client.post("/api/v1/pathways/run", json=scenario_body(demo)).status_code == 403


def test_auditors_read_but_only_admins_and_managers_run_adhoc_scenarios(demo):
    auditor = demo.client("api-auditor")
    assert auditor.get("/api/v1/targets").status_code == 200
    assert auditor.get("/api/v1/scenarios/business_as_usual/run").status_code == 200
    refused = auditor.post("/api/v1/pathways/run", json=scenario_body(demo))
    assert refused.status_code == 403 and "ad-hoc" in refused.json()["error"]["message"]
    for user in ("api-admin", "api-manager"):
        posted = demo.client(user).post("/api/v1/pathways/run?samples=20", json=scenario_body(demo))
        assert posted.status_code == 200, posted.text


def test_a_cookie_session_must_send_the_csrf_token_to_run_a_scenario(demo):
    client = TestClient(demo.app, raise_server_exceptions=False)
    login = client.post("/api/v1/login", json={"username": "api-manager", "password": PASSWORD})
    assert login.status_code == 200, login.text
    body = scenario_body(demo)
    assert client.post("/api/v1/pathways/run?samples=20", json=body).status_code == 403
    headers = {"X-CSRF-Token": login.json()["csrf_token"]}
    ran = client.post("/api/v1/pathways/run?samples=20", json=body, headers=headers)
    assert ran.status_code == 200


# --- targets ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "value", "status"),
    [
        ("ghg-intensity-key-entities", 3.369, "at_risk"),
        ("ghg-intensity-smelting-separation", 2.806, "on_track"),
        ("ghg-intensity-metals", 7.098, "on_track"),
        ("energy-total-cap", 280_751, "met"),
        ("energy-intensity-key-entities-yoy", -7.174, "on_track"),
        ("customer-satisfaction", 100.0, "met"),
        ("ltifr-per-1000", 0.293, "met"),
        ("first-pass-yield-separation", None, "no_data"),
    ],
)
def test_the_demo_targets_status_in_2024(demo, target, value, status):
    data = demo.client("api-manager").get("/api/v1/targets").json()
    by_id = {t["target"]["id"]: t for t in data["targets"]}
    (row,) = [r for r in by_id[target]["years"] if r["year"] == 2024]
    assert row["status"] == status
    assert row["value"] == (None if value is None else pytest.approx(value, rel=1e-3))


def test_the_targets_list_holds_file_years_series_and_no_warning_for_a_whole_year(demo):
    data = demo.client("api-manager").get("/api/v1/targets").json()
    assert data["file"] == "targets.yaml" and data["method_set"] == "cn-default"
    assert data["years"] == [2022, 2023, 2024] and data["through"] is None
    assert data["warnings"] == []
    key = next(t for t in data["targets"] if t["target"]["id"] == "ghg-intensity-key-entities")
    assert key["goal"] == "<= 2.956 tCO2e/tREO in 2025"
    assert [p["year"] for p in key["series"]] == [2022, 2023, 2024, 2025]
    assert key["series"][-1]["trajectory"] == pytest.approx(2.956)
    assert key["series"][-1]["actual"] is None
    assert key["series"][2]["actual"] == pytest.approx(3.369, rel=1e-3)
    metals = next(t for t in data["targets"] if t["target"]["id"] == "ghg-intensity-metals")
    assert metals["restatement"]["applied"] and metals["restated_from"] == 2024


def test_one_target_judged_on_the_first_half_run_rate_warns(demo):
    client = demo.client("api-auditor")
    response = client.get(
        "/api/v1/targets/ghg-intensity-key-entities", params={"through": "2024-06"}
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert "Jan-Jun 2024 run rate projects 3.42 tCO2e/tREO" in report["warning"]
    assert report["run_rate"]["through_month"] == 6 and report["latest"]["projected"]
    listed = client.get("/api/v1/targets", params={"through": "2024-06"}).json()
    assert report["warning"] in listed["warnings"] and listed["through"] == "2024-06"


def test_targets_refuse_unknown_ids_years_periods_and_method_sets(demo):
    client = demo.client("api-manager")
    unknown = client.get("/api/v1/targets/nope")
    assert unknown.status_code == 404 and "energy-total-cap" in unknown.json()["error"]["message"]
    assert client.get("/api/v1/targets", params={"through": "2031-01"}).status_code == 404
    assert client.get("/api/v1/targets", params={"through": "2024"}).status_code == 400
    assert client.get("/api/v1/targets", params={"through": "2024-13"}).status_code == 422
    assert client.get("/api/v1/targets", params={"methods": "nope"}).status_code == 404


def test_a_missing_targets_file_is_a_404_naming_the_variable(demo, settings, monkeypatch, tmp_path):
    monkeypatch.setattr(settings, "targets", tmp_path / "none.yaml")
    response = demo.client("api-manager").get("/api/v1/targets")
    assert response.status_code == 404
    assert "ESGLEDGER_TARGETS" in response.json()["error"]["message"]


# --- pathways ---------------------------------------------------------------------------


def test_the_demo_scenarios_are_listed(demo):
    page = demo.client("api-auditor").get("/api/v1/scenarios").json()
    assert [s["name"] for s in page["items"]] == DEMO_SCENARIOS and page["total"] == 3
    first = page["items"][0]
    assert first["title"] == "Business as usual" and first["file"] == "business_as_usual.yaml"
    assert first["problem"] is None


def test_a_scenario_run_has_a_peak_a_band_gaps_and_a_mac_curve(demo):
    response = demo.client("api-manager").get(
        "/api/v1/scenarios/efficiency_green_process/run", params={"samples": 200}
    )
    assert response.status_code == 200, response.text
    run = response.json()
    assert run["base_year"] == 2024 and run["end_year"] == 2060 and run["samples"] == 200
    assert run["peak"]["year"] == 2027 and run["peak"]["before_end"]
    assert [row["year"] for row in run["rows"]] == list(range(2024, 2061))
    assert run["rows"][0]["actual"] and run["rows"][0]["total_t"] == pytest.approx(909_563, 1e-5)
    for point in run["band"]:
        assert point["p5"] <= point["p50"] <= point["p95"]
    assert any(p["p5"] < p["p95"] for p in run["band"])
    key = next(g for g in run["gaps"] if g["goal_id"] == "ghg-intensity-key-entities")
    assert key["year"] == 2025 and key["met"] is False and key["gap"] > 0
    costs = [row["cost_per_t"] for row in run["mac"] if row["cost_per_t"] is not None]
    assert costs == sorted(costs) and run["mac"]
    cumulative = [row["cumulative_t"] for row in run["mac"]]
    assert cumulative == sorted(cumulative)


def test_business_as_usual_peaks_in_2040(demo):
    run = demo.client("api-manager").get("/api/v1/scenarios/business_as_usual/run").json()
    assert run["peak"]["year"] == 2040
    assert run["peak"]["value_t"] == pytest.approx(1_109_060, rel=1e-5)
    assert run["mac"] == [] and run["samples"] == 200 and run["seed"] == 2060


def test_runs_are_cached_until_the_ledger_changes(demo, monkeypatch):
    calls = []
    real = pathways_router.run_pathway

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(pathways_router, "run_pathway", counting)
    client = demo.client("api-manager")
    url, params = "/api/v1/scenarios/green_power_push/run", {"samples": 30, "seed": 7}
    first = client.get(url, params=params).json()
    assert client.get(url, params=params).json() == first and len(calls) == 1
    client.get(url, params={**params, "seed": 8})
    assert len(calls) == 2
    with unit_of_work(demo.app.state.database) as session:  # any write moves the version
        service.add_user(session, "tester", "api-extra", PASSWORD, Role.AUDITOR)
    assert client.get(url, params=params).json() == first and len(calls) == 3


def test_no_samples_gives_the_central_case_and_too_many_are_refused(demo):
    client = demo.client("api-manager")
    url = "/api/v1/scenarios/business_as_usual/run"
    run = client.get(url, params={"samples": 0}).json()
    assert all(p["p5"] == p["p50"] == p["p95"] == p["central"] for p in run["band"])
    too_many = client.get(url, params={"samples": 10**6})
    assert too_many.status_code == 422 and too_many.json()["error"]["field"] == "query.samples"


def test_unknown_scenarios_are_404s_listing_the_known_ones(demo):
    client = demo.client("api-manager")
    response = client.get("/api/v1/scenarios/nope/run")
    assert response.status_code == 404
    assert "business_as_usual" in response.json()["error"]["message"]
    assert client.get("/api/v1/scenarios/Not%20a%20name").status_code == 422


def test_an_adhoc_scenario_runs_like_the_stored_one(demo):
    client = demo.client("api-manager")
    stored = client.get("/api/v1/scenarios/green_power_push/run").json()
    posted = client.post("/api/v1/pathways/run", json=scenario_body(demo))
    assert posted.status_code == 200, posted.text
    assert posted.json()["peak"] == stored["peak"]
    body = {**scenario_body(demo), "name": "no_green", "green_electricity": {}}
    changed = client.post("/api/v1/pathways/run?samples=20", json=body).json()
    assert changed["scenario"] == "no_green" and changed["mac"] == []


def test_an_invalid_adhoc_scenario_is_a_422_naming_the_field(demo):
    client = demo.client("api-manager")
    body = scenario_body(demo)
    body["growth"]["metals"]["rate_pct"] = 200
    response = client.post("/api/v1/pathways/run", json=body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["field"] == "body.growth.metals.rate_pct" and "100" in error["message"]
    nameless = client.post("/api/v1/pathways/run", json={"title": "no name"})
    assert nameless.status_code == 422 and nameless.json()["error"]["field"] == "body.name"


def test_an_adhoc_scenario_naming_a_segment_the_group_lacks_is_a_422(demo):
    body = {**scenario_body(demo), "growth": {"mining": {"rate_pct": 2}}}
    response = demo.client("api-manager").post("/api/v1/pathways/run", json=body)
    assert response.status_code == 422
    (problem,) = response.json()["errors"]
    assert problem["field"] == "growth.mining" and "smelting_separation" in problem["message"]


def test_compare_returns_the_three_demo_scenarios_side_by_side(demo):
    client = demo.client("api-auditor")
    names = ",".join(DEMO_SCENARIOS)
    response = client.get("/api/v1/scenarios/compare", params={"names": names, "samples": 50})
    assert response.status_code == 200, response.text
    data = response.json()
    assert [s["name"] for s in data["scenarios"]] == DEMO_SCENARIOS
    assert [s["peak"]["year"] for s in data["scenarios"]] == [2040, 2027, 2040]
    rows = {row["label"]: row for row in data["rows"]}
    assert rows["peak year"]["values"] == [2040, 2027, 2040]
    assert all(len(row["values"]) == 3 for row in data["rows"])
    assert "gap ghg-intensity-key-entities 2025" in rows
    every = client.get("/api/v1/scenarios/compare", params={"samples": 50}).json()
    assert [s["name"] for s in every["scenarios"]] == DEMO_SCENARIOS


def test_compare_refuses_unknown_names_and_too_many(demo):
    client = demo.client("api-manager")
    unknown = client.get("/api/v1/scenarios/compare", params={"names": "business_as_usual,nope"})
    assert unknown.status_code == 404
    many = ",".join(f"s{i}" for i in range(9))
    assert client.get("/api/v1/scenarios/compare", params={"names": many}).status_code == 400
    assert client.get("/api/v1/scenarios/compare", params={"names": "a,,b"}).status_code == 422


def test_the_scenario_directory_comes_from_the_settings(demo, settings, monkeypatch, tmp_path):
    shutil.copy(DATA_DIR / "scenarios" / "business_as_usual.yaml", tmp_path / "bau.yaml")
    (tmp_path / "broken.yaml").write_text("name: broken\nend_year: soon\n", encoding="utf-8")
    monkeypatch.setattr(settings, "scenarios", tmp_path)
    client = demo.client("api-manager")
    items = client.get("/api/v1/scenarios").json()["items"]
    assert [(s["name"], s["file"]) for s in items] == [
        ("business_as_usual", "bau.yaml"),
        ("broken", "broken.yaml"),
    ]
    broken = next(s for s in items if s["name"] == "broken")
    assert "end_year" in broken["problem"] and broken["end_year"] is None
    assert client.get("/api/v1/scenarios/business_as_usual/run?samples=10").status_code == 200
    assert client.get("/api/v1/scenarios/green_power_push/run").status_code == 404
    assert client.get("/api/v1/scenarios/broken/run").status_code == 400


def test_scenario_files_are_read_again_when_they_change(demo, settings, monkeypatch, tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text("name: mine\ntitle: First\n", encoding="utf-8")
    monkeypatch.setattr(settings, "scenarios", tmp_path)
    client = demo.client("api-manager")
    assert client.get("/api/v1/scenarios").json()["items"][0]["title"] == "First"
    path.write_text("name: mine\ntitle: Second title\n", encoding="utf-8")
    assert client.get("/api/v1/scenarios").json()["items"][0]["title"] == "Second title"


def test_the_openapi_document_lists_the_new_operations(demo):
    paths = demo.app.openapi()["paths"]
    for path in (
        "/api/v1/targets",
        "/api/v1/targets/{target_id}",
        "/api/v1/scenarios",
        "/api/v1/scenarios/compare",
        "/api/v1/scenarios/{name}",
        "/api/v1/scenarios/{name}/run",
        "/api/v1/pathways/run",
    ):
        assert path in paths, path


def test_a_server_started_without_the_settings_shows_no_demo_targets(demo, settings, monkeypatch):
    monkeypatch.delenv("ESGLEDGER_TARGETS", raising=False)
    monkeypatch.delenv("ESGLEDGER_SCENARIOS", raising=False)
    fresh = Settings(db=settings.db)
    assert fresh.targets is None and fresh.scenarios is None  # no default, demo or other
    monkeypatch.setattr(settings, "targets", fresh.targets)
    monkeypatch.setattr(settings, "scenarios", fresh.scenarios)
    client = demo.client("api-manager")
    targets = client.get("/api/v1/targets")
    assert targets.status_code == 404
    message = targets.json()["error"]["message"]
    assert "no targets file configured — set ESGLEDGER_TARGETS / --targets" in message
    assert "energy-total-cap" not in targets.text
    scenarios = client.get("/api/v1/scenarios")
    assert scenarios.status_code == 404
    assert "no scenario folder configured" in scenarios.json()["error"]["message"]
    # an ad-hoc projection still runs, measured against no one's targets
    adhoc = client.post("/api/v1/pathways/run", json={"name": "mine"}, params={"samples": 10})
    assert adhoc.status_code == 200, adhoc.text
    assert adhoc.json()["gaps"] == []


def test_the_settings_read_the_targets_and_scenarios_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("ESGLEDGER_TARGETS", str(tmp_path / "t.yaml"))
    monkeypatch.setenv("ESGLEDGER_SCENARIOS", str(tmp_path))
    found = Settings()
    assert (found.targets, found.scenarios) == (tmp_path / "t.yaml", tmp_path)
