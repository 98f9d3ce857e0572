"""The targets and pathways pages on the demo ledger: statuses, peak years, the MAC curve,
the comparison, Chinese labels, the reporter rule and the caches.

The demo ledger is built once for the module (a few seconds); the pages only read, so
one application serves every test here except those that need the small ledger.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from importlib.resources import files
from pathlib import Path

import pytest
import yaml
from fastapi import FastAPI
from fastapi.testclient import TestClient

from esgledger.demo.generate import factor_file
from esgledger.settings import Settings
from tests.apps import serving
from tests.conftest import SharedDemo
from tests.web.conftest import log_in

DEMO_DATA = Path(str(files("esgledger.demo") / "data"))

ALTERNATE = re.compile(r'<link rel="alternate" type="application/json" href="([^"]+)">')
SCENARIOS = {
    "business_as_usual": ("Business as usual", 2040),
    "green_power_push": ("Green-power push", 2040),
    "efficiency_green_process": ("Efficiency + green power + process change", 2027),
}


@pytest.fixture(scope="module")
def demo_app(
    tmp_path_factory: pytest.TempPathFactory, demo_ledger: SharedDemo
) -> Iterator[FastAPI]:
    url = demo_ledger.copy_to(tmp_path_factory.mktemp("demo-ledger"))  # logins write to it
    settings = Settings(
        db=url,
        secure_cookies=False,
        factor_files=[str(factor_file())],
        targets=DEMO_DATA / "targets.yaml",
        scenarios=DEMO_DATA / "scenarios",
    )
    with serving(settings) as app:
        yield app


@pytest.fixture
def demo_client(demo_app: FastAPI) -> Callable[[str], TestClient]:
    """A client of the demo application logged in as a demo account."""

    def make(username: str) -> TestClient:
        client = TestClient(demo_app)
        response = log_in(client, username, f"demo-{username}-pass")
        assert response.status_code == 303, response.text
        return client

    return make


def _alternate(text: str) -> str:
    found = ALTERNATE.search(text)
    assert found, "the page names no JSON twin"
    return found[1]


def _status_of(text: str, target_id: str) -> str:
    found = re.search(rf'data-test="status-{re.escape(target_id)}">([^<]+)<', text)
    assert found, target_id
    return found[1].strip()


@pytest.mark.parametrize("username", ["manager", "auditor", "admin"])
def test_the_targets_page_shows_every_target_with_its_status(demo_client, username):
    response = demo_client(username).get("/targets")
    assert response.status_code == 200, response.text[:500]
    text = response.text
    assert _alternate(text) == "/api/v1/targets"
    assert _status_of(text, "ghg-intensity-key-entities") == "At risk"
    assert _status_of(text, "ghg-intensity-smelting-separation") == "On track"
    assert _status_of(text, "energy-total-cap") == "Met"
    assert _status_of(text, "first-pass-yield-metals") == "No data"
    assert "≤ 2.956 tCO2e/tREO in 2025" in text
    assert "-6% a year to 2025" in text
    assert "-12.3%" in text  # the key entities' rate still needed in 2025
    assert "base restated 7.54 → 7.42" in text  # ZXAT joined the metals segment
    assert text.count('data-target="') == 11
    assert text.count("<svg") == 1 and 'aria-label="Trajectories"' in text
    assert 'href="/targets"' in text and 'href="/pathways"' in text  # the navigation


def test_a_run_rate_month_raises_early_warnings(demo_client):
    client = demo_client("manager")
    text = client.get("/targets?through=2024-06").text
    assert _alternate(text) == "/api/v1/targets?through=2024-06"
    warnings = text[text.index('data-test="warnings"') :]
    warnings = warnings[: warnings.index("</div>")]
    assert "the 7 key entities: the run rate to 2024-06 projects 3.42" in warnings
    assert "above the trajectory of 3.335 tCO2e/tREO (at risk)" in warnings
    assert "Carbon intensity of the metal facilities" in warnings
    assert _status_of(text, "ghg-intensity-key-entities") == "At risk ~"
    assert '<option value="2024-06" selected>' in text
    assert "Early warnings" not in client.get("/targets?through=").text  # the whole years
    refused = client.get("/targets?through=2024")
    assert refused.status_code == 400
    assert "give a month such as 2024-09" in refused.text


@pytest.mark.parametrize("username", ["manager", "auditor"])
def test_the_pathways_page_projects_each_scenario_with_its_peak(demo_client, username):
    client = demo_client(username)
    for name, (title, peak) in SCENARIOS.items():
        response = client.get(f"/pathways?scenario={name}")
        assert response.status_code == 200, response.text[:500]
        text = response.text
        assert _alternate(text) == f"/api/v1/scenarios/{name}/run?samples=200"
        assert f'<span data-test="peak-year">{peak}</span>' in text
        assert f"Peak {peak} · " in text  # the mark on the projection chart
        assert f"· {title}</span></h1>" in text
        assert "200 samples, seed 2060" in text
        assert text.count("<svg") >= 2  # projection and comparison (+ MAC with levers)
        assert 'data-test="gaps-table"' in text and "Carbon intensity of the 7 key entities" in text
    default = client.get("/pathways").text
    assert 'aria-current="page">Business as usual</a>' in default


def test_the_mac_curve_and_the_comparison(demo_client):
    text = demo_client("manager").get("/pathways?scenario=efficiency_green_process").text
    mac = text[text.index('data-test="mac-table"') :]
    mac = mac[: mac.index("</table>")]
    levers = re.findall(r'<td class="num">(\d+)</td><td>([^<]+)</td>', mac)
    assert [n for n, _ in levers] == [str(n) for n in range(1, 9)]  # cheapest first
    assert levers[0][1] == "Air-compressor waste-heat recovery"
    assert "Green certificates" in mac  # no abatement on a location basis: last, unnumbered
    assert 'aria-label="Marginal abatement cost curve"' in text
    compare = text[text.index('data-test="compare-table"') :]
    compare = compare[: compare.index("</table>")]
    for title, _ in SCENARIOS.values():
        assert title in compare
    peak_row = re.search(r'data-test="peak-year">(.*?)</tr>', compare, re.S)[1]
    assert re.findall(r"<strong>(\d{4})</strong>", peak_row) == ["2040", "2027", "2040"]


def test_the_pages_in_chinese(demo_client):
    client = demo_client("manager")
    targets = client.get("/lang/zh?next=/targets")
    assert targets.url.path == "/targets"
    text = targets.text
    assert '<html lang="zh-CN">' in text
    assert "七家重点单位碳排放强度" in text  # the target's name from the targets file
    assert _status_of(text, "ghg-intensity-key-entities") == "存在风险"
    assert _status_of(text, "energy-total-cap") == "已达成"
    assert "2025 年 ≤ 2.956 tCO2e/tREO" in text
    assert "At risk" not in text
    text = client.get("/pathways?scenario=efficiency_green_process").text
    labels = ("减排路径", "排放达峰", "边际减排成本曲线", "情景对比", "基准情景", "空压机余热回收")
    for label in labels:
        assert label in text, label
    assert "2027 年达峰" in text
    assert "Business as usual" not in text


def test_a_reporter_gets_not_found_for_group_targets_and_pathways(demo_client):
    client = demo_client("smelter")
    for path in ("/targets", "/pathways", "/pathways?scenario=green_power_push"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "among yours" in response.text
    dashboard = client.get("/").text
    assert 'href="/targets"' not in dashboard and 'href="/pathways"' not in dashboard


def test_a_reporter_sees_targets_of_its_own_entities(demo_app, demo_client, tmp_path, monkeypatch):
    targets = yaml.safe_load((DEMO_DATA / "targets.yaml").read_text(encoding="utf-8"))
    own = {
        "id": "smelt-energy",
        "name": {"en": "Smelting Branch energy cap", "zh": "冶炼分公司能耗上限"},
        "indicator": "energy.total",
        "scope": "SMELT",
        "type": "absolute_cap",
        "target_year": 2025,
        "target_value": 100000,
        "source": "test",
    }
    path = tmp_path / "targets.yaml"
    path.write_text(yaml.safe_dump({**targets, "targets": [own, *targets["targets"]]}), "utf-8")
    monkeypatch.setattr(demo_app.state.settings, "targets", path)
    text = demo_client("smelter").get("/targets").text
    assert 'data-target="smelt-energy"' in text
    assert text.count('data-target="') == 1  # none of the group's consolidations
    assert "Carbon intensity of the 7 key entities" not in text
    assert demo_client("manager").get("/targets").text.count('data-target="') == 12


def test_the_scenario_folder_comes_from_the_settings(demo_app, demo_client, tmp_path, monkeypatch):
    shutil.copy(DEMO_DATA / "scenarios" / "green_power_push.yaml", tmp_path / "solar.yaml")
    monkeypatch.setattr(demo_app.state.settings, "scenarios", tmp_path)
    client = demo_client("manager")
    text = client.get("/pathways").text  # without business_as_usual, the first file
    assert _alternate(text) == "/api/v1/scenarios/solar/run?samples=200"
    assert "Business as usual" not in text
    missing = client.get("/pathways?scenario=business_as_usual")
    assert missing.status_code == 404
    assert "no scenario &#39;business_as_usual&#39;" in missing.text
    monkeypatch.setattr(demo_app.state.settings, "scenarios", tmp_path / "empty")
    assert "No scenario files" in client.get("/pathways").text


def test_projections_and_charts_are_computed_once_per_ledger_version(demo_app, demo_client):
    client = demo_client("auditor")
    client.get("/pathways?samples=120")
    computed, drawn = len(demo_app.state.pathway_results), len(demo_app.state.chart_cache)
    client.get("/pathways?samples=120")
    client.get("/pathways?scenario=business_as_usual&samples=120")
    assert len(demo_app.state.pathway_results) == computed
    assert len(demo_app.state.chart_cache) == drawn
    client.get("/pathways?scenario=green_power_push&samples=120")  # all three were projected
    assert len(demo_app.state.pathway_results) == computed
    assert len(demo_app.state.chart_cache) == drawn + 1
    client.get("/pathways?samples=150")
    assert len(demo_app.state.pathway_results) == computed + len(SCENARIOS)
    assert client.get("/pathways?samples=5").status_code == 422  # too few to speak of a band


def test_on_a_ledger_without_a_whole_year_the_pages_say_why(app, client_for, monkeypatch):
    monkeypatch.setattr(app.state.settings, "targets", DEMO_DATA / "targets.yaml")
    monkeypatch.setattr(app.state.settings, "scenarios", DEMO_DATA / "scenarios")
    client = client_for("manager")  # the small ledger: only January 2023 is entered
    pathways = client.get("/pathways")
    assert pathways.status_code == 200
    assert "The pathways cannot be projected yet" in pathways.text
    assert "no whole year of the ledger" in pathways.text
    targets = client.get("/targets")
    assert targets.status_code == 200
    assert "2023 is judged on its run rate to 2023-01" in targets.text
    assert _alternate(targets.text) == "/api/v1/targets"
    reporter = client_for("reporter")
    assert reporter.get("/targets").status_code == 404
    assert reporter.get("/pathways").status_code == 404


def test_a_server_without_the_settings_shows_no_demo_targets_or_scenarios(
    demo_app, demo_client, monkeypatch
):
    monkeypatch.setattr(demo_app.state.settings, "targets", None)
    monkeypatch.setattr(demo_app.state.settings, "scenarios", None)
    client = demo_client("manager")
    targets = client.get("/targets").text
    assert "no targets file configured — set ESGLEDGER_TARGETS / --targets" in targets
    assert 'data-target="' not in targets and "7 key entities" not in targets
    pathways = client.get("/pathways").text
    assert "no scenario folder configured — set ESGLEDGER_SCENARIOS" in pathways
    assert "Business as usual" not in pathways
