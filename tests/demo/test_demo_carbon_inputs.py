"""The demo's carbon inputs: process activity, green power, Scope 3 activity and their factors.

Scope 1 process emissions are computed by the engine from process activity, so the demo
supplies activity (not ``ghg.scope1_process``) and ships an illustrative user factor file
(``demo_factors.yaml``) for what esgledger has no default for: PFCs of rare-earth
electrolysis and Scope 3. These tests keep the activity physically consistent with the rest
of the demo and check that the factor file covers every factor the activity needs.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pytest
import yaml

from esgledger.demo import generate
from esgledger.demo.generate import DATA_DIR, factor_file, published_totals, rows, write_files
from esgledger.units import conversion_factor

PROCESS_INPUTS = (
    "process.re_metal_electrolysis_output",
    "process.carbon_anode_consumed",
    "process.carbonate_na2co3_consumed",
    "process.carbonate_caco3_consumed",
    "ghg.scope1_co2_recovered",
)
SCOPE3_INPUTS = (
    "scope3.cat1_purchased_materials",
    "scope3.cat4_upstream_transport",
    "scope3.cat6_business_travel",
)
PFC_KEYS = (
    "process_ef.pfc.cf4.rare_earth_electrolysis",
    "process_ef.pfc.c2f6.rare_earth_electrolysis",
)
YEARS = ("2022", "2023", "2024")
Cell = tuple[str, str, str]  # indicator, period, entity


@pytest.fixture(scope="module")
def demo_rows() -> list[dict[str, str]]:
    return rows()


@pytest.fixture(scope="module")
def cells(demo_rows) -> dict[Cell, Decimal]:
    """Value per (indicator, period, entity): months stay months, years stay years."""
    out: dict[Cell, Decimal] = defaultdict(Decimal)
    for row in demo_rows:
        out[(row["indicator"], row["period"], row["entity"])] += Decimal(row["value"])
    return out


@pytest.fixture(scope="module")
def yearly(demo_rows) -> dict[Cell, Decimal]:
    """Value per (indicator, year, entity), months added up."""
    out: dict[Cell, Decimal] = defaultdict(Decimal)
    for row in demo_rows:
        out[(row["indicator"], row["period"][:4], row["entity"])] += Decimal(row["value"])
    return out


def _entities() -> dict[str, dict]:
    org = yaml.safe_load((DATA_DIR / "org.yaml").read_text(encoding="utf-8"))
    return {entity["code"]: entity for entity in org["entities"]}


def _where(demo_rows, indicator: str) -> set[str]:
    return {row["entity"] for row in demo_rows if row["indicator"] == indicator}


def _group(yearly: dict[Cell, Decimal], indicator: str, year: str) -> Decimal:
    return sum((v for (i, y, _), v in yearly.items() if (i, y) == (indicator, year)), Decimal(0))


# --- the modeled inputs ------------------------------------------------------------------------


def test_process_emissions_are_computed_not_imported(demo_rows):
    emitted = {row["indicator"] for row in demo_rows}
    assert "ghg.scope1_process" not in emitted
    assert set(PROCESS_INPUTS) | set(SCOPE3_INPUTS) | {"energy.green_power_purchased"} <= emitted


def test_new_inputs_use_the_catalog_unit_strings():
    catalog = pytest.importorskip("esgledger.catalog").load_catalog()
    figures = generate.load_figures()
    for indicator in (*PROCESS_INPUTS, *SCOPE3_INPUTS, "energy.green_power_purchased"):
        entry = catalog.get(indicator)
        assert entry.kind.value == "input", indicator
        assert figures[indicator].unit == entry.unit, indicator
        assert (entry.frequency.value == "monthly") == (
            indicator in generate.monthly_indicators()
        ), indicator


def test_green_power_never_exceeds_purchased_electricity(cells):
    """Green power is the certified part of purchased electricity, per entity and month."""
    green = {k: v for k, v in cells.items() if k[0] == "energy.green_power_purchased"}
    assert green and all(len(period) == 7 for _, period, _ in green)
    for (_, period, entity), value in green.items():
        bought = cells.get(("energy.purchased_electricity", period, entity), Decimal(0))
        assert value <= bought, (entity, period, value, bought)


def test_green_power_is_bought_in_inner_mongolia_in_2023_and_2024(demo_rows, yearly):
    entities = _entities()
    for entity in _where(demo_rows, "energy.green_power_purchased"):
        assert entities[entity]["province"] == "Inner Mongolia", entity
    assert (
        Decimal(0)
        < _group(yearly, "energy.green_power_purchased", "2023")
        < _group(yearly, "energy.green_power_purchased", "2024")
    )
    assert _group(yearly, "energy.green_power_purchased", "2022") == 0


def test_electrolysis_output_stays_within_metal_output(cells):
    electrolysis = {
        k: v for k, v in cells.items() if k[0] == "process.re_metal_electrolysis_output"
    }
    assert electrolysis
    for (_, period, entity), value in electrolysis.items():
        metal = cells.get(("production.metal_output", period, entity), Decimal(0))
        assert value <= metal, (entity, period, value, metal)


def test_anode_consumption_per_tonne_of_metal_is_in_the_literature_range(yearly):
    """~0.05-0.18 t graphite per t metal (0.165-0.672 tCO2/t measured on Chinese potlines)."""
    for (indicator, year, entity), metal in list(yearly.items()):
        if indicator == "process.re_metal_electrolysis_output":
            anode = yearly[("process.carbon_anode_consumed", year, entity)]
            assert Decimal("0.05") <= anode / metal <= Decimal("0.18"), (entity, year)


def test_process_activity_sits_at_plausible_entities(demo_rows):
    entities = _entities()
    metal_plants = _where(demo_rows, "production.metal_output")
    assert _where(demo_rows, "process.re_metal_electrolysis_output") <= metal_plants
    assert _where(demo_rows, "process.carbon_anode_consumed") <= metal_plants
    for indicator in ("process.carbonate_na2co3_consumed", "process.carbonate_caco3_consumed"):
        for entity in _where(demo_rows, indicator):
            assert entities[entity]["segment"] == "smelting_separation", (indicator, entity)
    assert _where(demo_rows, "ghg.scope1_co2_recovered") == {"SMELT-HYD"}
    assert _where(demo_rows, "scope3.cat6_business_travel") == {"NRE"}


def test_recovered_co2_stays_modest(yearly):
    """Well below the plant's own carbonate CO2: the report's '11 million t' is not used."""
    for year in YEARS:
        recovered = yearly[("ghg.scope1_co2_recovered", year, "SMELT-HYD")]
        soda_ash = yearly[("process.carbonate_na2co3_consumed", year, "SMELT-HYD")]
        limestone = yearly[("process.carbonate_caco3_consumed", year, "SMELT-HYD")]
        carbonate_co2 = soda_ash * Decimal("0.4152") + limestone * Decimal("0.4397")
        assert 0 < recovered < carbonate_co2, year


def test_every_modeled_carbon_input_says_why():
    figures = yaml.safe_load((DATA_DIR / "modeled.yaml").read_text(encoding="utf-8"))["figures"]
    for indicator in (*PROCESS_INPUTS, *SCOPE3_INPUTS, "energy.green_power_purchased"):
        spec = figures[indicator]
        assert spec["modeled"] is True and len(spec["why"]) > 80, indicator
    assert "11 million" in figures["ghg.scope1_co2_recovered"]["why"]


# --- the factor file ---------------------------------------------------------------------------


def _factor_set():
    from esgledger.factors.loader import read_factor_file

    return read_factor_file(factor_file())


def test_demo_factor_file_loads_as_a_global_user_override():
    from esgledger.factors import load_factor_sets

    library = load_factor_sets([factor_file()])
    factor_set = _factor_set()
    assert factor_set.is_override and factor_set.overrides is not None
    assert not factor_set.overrides.entities and not factor_set.overrides.years
    assert {f.key for f in factor_set.factors} <= set(library.keys())


def test_demo_factors_are_labelled_illustrative_and_unverified():
    factor_set = _factor_set()
    assert "ILLUSTRATIVE" in factor_set.title
    for factor in factor_set.factors:
        assert factor.confidence.value == "M", factor.key
        assert factor.citation and factor.notes, factor.key
    pfc = [f for f in factor_set.factors if f.key in PFC_KEYS]
    assert len(pfc) == 2 and all("ILLUSTRATIVE" in f.citation for f in pfc)


def test_demo_factors_cover_every_factor_the_modeled_inputs_need(demo_rows):
    """PFC factors for the electrolysis output, and one factor per Scope 3 line the demo feeds."""
    scope3 = pytest.importorskip("esgledger.engine.methods.scope3")
    factors = {f.key: f for f in _factor_set().factors}
    needed: dict[str, str] = {key: "t/t" for key in PFC_KEYS}
    emitted = {row["indicator"] for row in demo_rows}
    for spec in scope3.scope3_categories().values():
        for line in spec["lines"]:
            if line.get("required") and line["activity"] in emitted:
                needed[line["factor"]] = line["factor_unit"]
    assert {"scope3_ef.cat1.materials", "scope3_ef.cat4.tkm", "scope3_ef.cat6.pkm"} <= set(needed)
    for key, unit in needed.items():
        assert key in factors, key
        assert conversion_factor(factors[key].unit, unit) > 0, key


def test_written_files_carry_the_factor_file(tmp_path):
    paths = write_files(tmp_path)
    copy = tmp_path / generate.FACTOR_FILE_NAME
    assert copy.read_bytes() == factor_file().read_bytes()
    assert copy not in paths


# --- what the engine makes of them -------------------------------------------------------------


@pytest.fixture(scope="module")
def results(demo_rows):
    """The demo rows computed under cn-default with the demo factor file (no ledger needed)."""
    run = pytest.importorskip("esgledger.engine.run")
    from esgledger.catalog import load_catalog
    from esgledger.demo.frame import observations_frame
    from esgledger.engine.methodset import get_method_sets
    from esgledger.factors import load_factor_sets
    from esgledger.org import OrgTree, read_entities

    frame = observations_frame(demo_rows, lambda n, row: "measured")
    org = OrgTree(read_entities(DATA_DIR / "org.yaml"))
    library = load_factor_sets([factor_file()])
    (method_set,) = get_method_sets("cn-default")
    return run.calculate(frame, org, load_catalog(), library, method_set, list(YEARS))


@pytest.mark.parametrize("year", YEARS)
def test_engine_process_emissions_match_the_old_modeled_order(results, year):
    """Anode CO2 + PFCs + carbonates of 47-55 ktCO2e, the order of the figure modeled before."""
    gross = results.value("ghg.scope1_process_gross", "group", year)
    assert 45_000 <= gross <= 57_000, gross
    for part in ("ghg.scope1_anode_co2", "ghg.scope1_pfc", "ghg.scope1_carbonates"):
        assert results.value(part, "group", year) > 0, part
    # No shipped method set deducts recovered CO2: process equals gross.
    assert results.value("ghg.scope1_process", "group", year) == pytest.approx(gross)


@pytest.mark.parametrize("year", YEARS)
def test_engine_computes_the_modeled_scope3_categories(results, year):
    for category in ("ghg.scope3_cat1", "ghg.scope3_cat4", "ghg.scope3_cat6"):
        assert np.isfinite(results.value(category, "group", year)), category
        assert results.value(category, "group", year) > 0, category


def test_engine_keeps_the_published_energy_ratios_with_green_power(results):
    ratios = published_totals(derived=True)
    share = Decimal(str(results.value("energy.renewable_share", "group", "2024")))
    assert share.quantize(Decimal(1), ROUND_HALF_UP) == ratios[("energy.renewable_share", 2024)]
    for year in YEARS:
        intensity = Decimal(str(results.value("energy.intensity_per_treo", "group", year)))
        published = ratios[("energy.intensity_per_treo", int(year))]
        assert intensity.quantize(Decimal(1), ROUND_HALF_UP) == published, year
