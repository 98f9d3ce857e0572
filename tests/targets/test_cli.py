"""`esgledger targets status` and `esgledger pathway run|compare` on a small ledger.

The commands are registered into a fresh Typer app, as `esgledger.cli.main` does, and run
with typer's CliRunner; the ledger is built with the real `esgledger` commands.
"""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from esgledger.cli import targets_cmd
from esgledger.cli.main import main
from esgledger.errors import EsgError, ValidationFailed

DEMO_DATA = Path(str(files("esgledger.demo") / "data"))
SCENARIOS_ENV, TARGETS_ENV = "ESGLEDGER_SCENARIOS", "ESGLEDGER_TARGETS"

ORG = """entities:
  - {code: GRP, name_en: Group, name_zh: 集团, kind: group}
  - {code: SEP, name_en: Separation, name_zh: 分离厂, kind: subsidiary, parent: GRP,
     segment: smelting_separation, grid_region: north, tags: [key-entity]}
  - {code: MET, name_en: Metals, name_zh: 金属厂, kind: subsidiary, parent: GRP,
     segment: metals, grid_region: east}
"""
TARGETS = """targets:
  - id: energy-cap
    name: {en: Energy cap, zh: 能源上限}
    indicator: energy.total
    type: absolute_cap
    base_year: 2023
    target_year: 2024
    target_value: 300
    source: test
  - id: key-intensity
    name: {en: Key intensity, zh: 重点强度}
    indicator: ghg.intensity_per_treo
    scope: tag:key-entity
    type: intensity_cap
    base_year: 2023
    target_year: 2026
    target_value: 1.0
    source: test
"""
SCENARIO = """name: grow
title: Growth
end_year: 2030
growth:
  default: {rate_pct: 5, low_pct: 2, high_pct: 8}
efficiency:
  - {id: motors, carrier: electricity, savings_pct: 10, start_year: 2026, capex_cny: 100000}
grid_factor: {points: {2030: 0.4}, uncertainty_pct: 20}
"""


def _data() -> str:
    """SEP: 200 MWh and 100 tREO a month in 2023 (2,400 MWh = 294.96 tce), 250 MWh a month
    in Jan-Jun 2024; MET: 50 MWh a month in Jan-Jun 2024. The ledger stops in June 2024."""
    lines = ["entity,period,indicator,value,unit,comment"]
    for month in range(1, 13):
        lines.append(f"SEP,2023-{month:02d},energy.purchased_electricity,200,MWh,")
        lines.append(f"SEP,2023-{month:02d},production.reo_output,100,tREO,")
    for month in range(1, 7):
        lines.append(f"SEP,2024-{month:02d},energy.purchased_electricity,250,MWh,")
        lines.append(f"SEP,2024-{month:02d},production.reo_output,100,tREO,")
        lines.append(f"MET,2024-{month:02d},energy.purchased_electricity,50,MWh,")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, str]:
    return build_ledger(tmp_path_factory.mktemp("ledger"))


def build_ledger(folder: Path) -> dict[str, str]:
    """The ledger of :func:`_data` with its targets and scenario files, in ``folder``."""
    url = f"sqlite:///{folder / 'targets.db'}"
    for name, text in (
        ("org.yaml", ORG),
        ("data.csv", _data()),
        ("targets.yaml", TARGETS),
        ("grow.yaml", SCENARIO),
    ):
        (folder / name).write_text(text, encoding="utf-8")
    for args in (
        ["init", "--years", "2023-2024"],
        ["org", "load", str(folder / "org.yaml")],
        ["import", str(folder / "data.csv"), "--submit"],
        ["approve"],
    ):
        assert main([*args, "--db", url]) == 0
    return {
        "db": url,
        "targets": str(folder / "targets.yaml"),
        "scenario": str(folder / "grow.yaml"),
        "folder": str(folder),
    }


@pytest.fixture
def run():
    app = typer.Typer()
    targets_cmd.register(app)
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(app, list(args), catch_exceptions=True)

    return invoke


def test_targets_status_judges_the_unfinished_year_on_its_run_rate(run, files):
    result = run("targets", "status", "--file", files["targets"], "--db", files["db"])
    assert result.exit_code == 0, result.output
    assert "run rate to 2024-06" in result.output
    # (1,500 MWh of SEP + 300 MWh of MET) x 0.1229 = 221.22 tce so far, x 12/6 = 442.44
    assert "~442.440" in result.output
    assert "energy-cap: the Jan-Jun 2024 run rate projects" in " ".join(result.output.split())


def test_targets_status_as_json(run, files):
    result = run("targets", "status", "--file", files["targets"], "--db", files["db"], "--json")
    data = json.loads(result.output)
    assert data["through"] == "2024-06"
    energy = data["reports"][0]
    assert energy["target"]["id"] == "energy-cap"
    first = energy["years"][0]
    assert (first["year"], first["status"]) == (2023, "met")  # already within the cap
    assert first["value"] == pytest.approx(294.96)  # 2,400 MWh x 0.1229


def test_pathway_run_prints_years_peak_gaps_and_the_mac_curve(run, files):
    result = run(
        "pathway",
        "run",
        files["scenario"],
        "--targets",
        files["targets"],
        "--samples",
        "50",
        "--db",
        files["db"],
    )
    assert result.exit_code == 0, result.output
    # 2024 stops in June: the projection starts from the whole year 2023
    for text in (
        "Growth: group, 50 samples, seed 2060",
        "2023 actual",
        "Gap to targets",
        "key-intensity",
        "Marginal abatement cost curve, 2030",
    ):
        assert text in result.output
    # electricity -10 % from 2026 and a cleaner grid outpace 5 % growth from 2023 on
    assert "Growth already peaked in the base year" in result.output


def test_pathway_run_is_deterministic_under_a_seed(run, files):
    args = (
        "pathway",
        "run",
        files["scenario"],
        "--targets",
        files["targets"],
        "--samples",
        "100",
        "--seed",
        "3",
        "--json",
        "--db",
        files["db"],
    )
    first, second = json.loads(run(*args).output), json.loads(run(*args).output)
    assert first["band"] == second["band"]


def test_pathway_compare_puts_scenarios_side_by_side(run, files):
    result = run(
        "pathway",
        "compare",
        files["scenario"],
        files["scenario"],
        "--targets",
        files["targets"],
        "--samples",
        "20",
        "--db",
        files["db"],
    )
    assert result.exit_code == 0, result.output
    assert "Scenarios side by side (20 samples, seed 2060)" in result.output
    assert "peak year" in result.output


def test_a_wrong_scenario_is_a_user_error_with_its_line(run, files):
    bad = Path(files["folder"]) / "bad.yaml"
    bad.write_text("name: bad\ngrowth:\n  metals: {rate: 3}\n", encoding="utf-8")
    result = run("pathway", "run", str(bad), "--db", files["db"])
    assert isinstance(result.exception, ValidationFailed)
    assert "bad.yaml, line 3, column 'growth.metals.rate'" in str(result.exception)


def test_an_unknown_scenario_name_lists_the_configured_scenarios(run, files, monkeypatch):
    monkeypatch.setenv(SCENARIOS_ENV, str(DEMO_DATA / "scenarios"))
    result = run("pathway", "run", "business_as_usal", "--db", files["db"])
    assert isinstance(result.exception, EsgError)
    assert "business_as_usual, efficiency_green_process, green_power_push" in str(result.exception)


def test_without_settings_no_demo_targets_or_scenarios_are_used(run, files, monkeypatch):
    monkeypatch.delenv(TARGETS_ENV, raising=False)
    monkeypatch.delenv(SCENARIOS_ENV, raising=False)
    status = run("targets", "status", "--db", files["db"])
    assert isinstance(status.exception, EsgError)
    assert "no targets file configured — set ESGLEDGER_TARGETS / --targets" in str(status.exception)
    by_name = run("pathway", "run", "business_as_usual", "--db", files["db"])
    assert "no scenario folder configured — set ESGLEDGER_SCENARIOS" in str(by_name.exception)
    # a scenario given by path still runs, with no gaps to anyone's targets
    alone = run("pathway", "run", files["scenario"], "--samples", "20", "--db", files["db"])
    assert alone.exit_code == 0, alone.output
    assert "key-intensity" not in alone.output and "energy-cap" not in alone.output


def test_the_targets_setting_is_read_from_the_environment(run, files, monkeypatch):
    monkeypatch.setenv(TARGETS_ENV, files["targets"])
    result = run("targets", "status", "--db", files["db"], "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["reports"][0]["target"]["id"] == "energy-cap"
