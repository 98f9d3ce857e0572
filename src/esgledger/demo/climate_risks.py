"""The demo group's climate register and scenario analysis (data in data/climate_risks/).

The register is checked and written as any user's import is; the scenario analysis runs the
demo's pathway scenarios under the shipped carbon-price scenarios on the demo ledger.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib.resources import files
from pathlib import Path

import yaml
from sqlalchemy import Engine

from esgledger.catalog.registry import Catalog
from esgledger.climate_risks.analysis import analyse, record_analysis
from esgledger.climate_risks.carbon import load_prices
from esgledger.climate_risks.checks import check_item
from esgledger.climate_risks.context import known_in_ledger
from esgledger.climate_risks.physical import load_hazards, save_hazards
from esgledger.climate_risks.register import save_items
from esgledger.engine.methodset import DEFAULT_METHOD_SET, get_method_sets
from esgledger.ledger.database import unit_of_work
from esgledger.pathways import ledger_results, load_scenario, pathway_baseline

DATA = Path(str(files("esgledger.demo"))) / "data"
DEMO_PATHWAYS = ("business_as_usual", "green_power_push", "efficiency_green_process")


def register_file() -> Path:
    return DATA / "climate_risks" / "register.yaml"


def hazards_file() -> Path:
    return DATA / "climate_risks" / "physical_hazards.yaml"


def load_demo_register(database: Engine, catalog: Catalog, actor: str) -> int:
    """Write the demo register; returns how many items were written."""
    raw = yaml.safe_load(register_file().read_text(encoding="utf-8"))["items"]
    with unit_of_work(database) as session:
        known = known_in_ledger(session, catalog, DATA / "targets.yaml")
        items = [check_item(fields, known) for fields in raw]
        written = save_items(session, items, actor=actor, reason="demo register")
        save_hazards(session, load_hazards(hazards_file(), known.entities), actor=actor)
        return written


def run_demo_scenarios(
    database: Engine, catalog: Catalog, actor: str, factor_files: Sequence[Path] = ()
) -> int:
    """Run the demo's scenario analysis on its ledger (with the demo's factor file);
    returns the run's version."""
    pathways = [load_scenario(DATA / "scenarios" / f"{name}.yaml") for name in DEMO_PATHWAYS]
    method_set = get_method_sets(DEFAULT_METHOD_SET)[0]
    with unit_of_work(database) as session:
        results = ledger_results(session, catalog, method_set=method_set, factor_files=factor_files)
        baseline = pathway_baseline(results)
        analysis = analyse(pathways, baseline, load_prices())
        return record_analysis(session, analysis, actor=actor)
