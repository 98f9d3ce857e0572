"""The monitoring page on the demo: the smelter's electricity dashboard over the months the
demo wrote before the simulated December, and every unit inside the key entities' energy
intensity target against what it asks (its previous year less 6 %), in Chinese."""

from __future__ import annotations

from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from esgledger.demo.generate import factor_file
from esgledger.ledger.database import open_database, unit_of_work
from esgledger.settings import Settings
from esgledger.targets import load_targets
from esgledger.targets.members import member_standings
from tests.apps import serving
from tests.conftest import SharedDemo
from tests.web.conftest import log_in

TARGETS = str(files("esgledger.demo") / "data" / "targets.yaml")


@pytest.fixture(scope="module")
def demo_app(
    tmp_path_factory: pytest.TempPathFactory, demo_ledger: SharedDemo
) -> Iterator[FastAPI]:
    url = demo_ledger.copy_to(tmp_path_factory.mktemp("monitoring-dashboard"))
    settings = Settings(db=url, secure_cookies=False, factor_files=[str(factor_file())],
                        targets=TARGETS)  # fmt: skip
    with serving(settings) as app:
        yield app


@pytest.fixture
def manager(demo_app: FastAPI) -> TestClient:
    client = TestClient(demo_app)
    assert log_in(client, "manager", "demo-manager-pass").status_code == 303
    client.cookies.set("lang", "zh")
    return client


def test_the_smelters_dashboard_shows_the_months_before_december(manager):
    page = manager.get("/monitoring", params={"entity": "SMELT", "until": "2024-11-30"}).text
    for part in ("profile-chart", "days-chart", "months-chart", "consumers-table"):
        assert f'data-test="{part}"' in page
    assert "用能看板" in page and "未分表计量部分" in page
    # the demo wrote October and November from the ledger's months: they reconcile
    october = page.split("<td>2024-10")[1].split("</tr>")[0]
    assert "+0.0%" in october
    for english in ("Load profile", "Top consumers", "Metered rollup", "Key energy-using"):
        assert english not in page


def test_each_key_unit_is_listed_with_its_verdict(manager):
    page = manager.get("/monitoring").text
    assert "重点用能单位能耗强度与目标（2024 年）" in page
    rows = {row.split('"')[0]: row for row in page.split('data-entity="')[1:]}
    # Gansu: 1,630 kgce/tREO in 2024 against 1,863 x 0.94 = 1,751 asked; Huaxing rose
    assert "达标" in rows["GANSU"].split("</tr>")[0]
    assert "未达标" in rows["HUAXING"].split("</tr>")[0]
    assert "无数据" in rows["SMELT"].split("</tr>")[0]  # no REO output of its own


def test_member_standings_ask_each_unit_for_its_own_previous_year_less_the_rate(demo_app):
    database = open_database(demo_app.state.settings.db)
    with unit_of_work(database) as session:
        run = demo_app.state.results.run(session)
    database.dispose()
    targets = load_targets(Path(TARGETS), demo_app.state.catalog)
    [target] = [t for t in targets.targets if t.id == "energy-intensity-key-entities-yoy"]
    standings = {s.entity: s for s in member_standings(run.results[0], target, "2024")}
    assert {"GANSU", "HEFA", "JINGRUI", "SMELT-HYD"} <= standings.keys()
    for s in standings.values():
        if s.previous is None:
            assert s.goal is None and s.met is None
            continue
        assert s.goal == pytest.approx(s.previous * 0.94)
        assert s.met == (s.value <= s.goal)
        assert [m for m, _ in s.months] == [f"2024-{n:02d}" for n in range(1, 13)]


def test_the_api_answers_the_dashboard_and_refuses_a_site_out_of_reach(demo_app):
    api = TestClient(demo_app)
    login = {"username": "manager", "password": "demo-manager-pass"}
    assert api.post("/api/v1/login", json=login).status_code == 200
    params = {"carrier": "electricity", "day": "2024-11-30"}
    body = api.get("/api/v1/monitoring/dashboard/SMELT", params=params).json()
    assert body["unit"] == "kWh" and len(body["profile"]) == 24
    october = next(m for m in body["months"] if m["month"] == "2024-10")
    assert october["metered"] == pytest.approx(october["ledger"]) and october["complete"]
    missing = api.get("/api/v1/monitoring/dashboard/SMELT", params={**params, "carrier": "steam"})
    assert missing.status_code == 404
    too_early = api.get(
        "/api/v1/monitoring/dashboard/SMELT", params={**params, "day": "0001-01-01"}
    )
    assert too_early.status_code == 422
