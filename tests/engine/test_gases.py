"""An emission figure split into its gases from the engine's own terms (engine/gases.py):
the split adds up to the figure, and each non-CO2 gas's mass is its CO2e over its GWP."""

from __future__ import annotations

import pytest

from esgledger.calc.service import compute, read_inputs
from esgledger.catalog import load_catalog
from esgledger.engine.gases import gas_split
from esgledger.engine.methodset import method_sets
from esgledger.ledger.database import open_database, unit_of_work


@pytest.fixture(scope="module")
def results(demo_ledger):
    database = open_database(demo_ledger.url)
    with unit_of_work(database) as session:
        inputs = read_inputs(session, author="tests", record_snapshot=False)
    database.dispose()
    sets = method_sets()
    run = compute(
        inputs,
        load_catalog(),
        [sets["cn-default"], sets["ipcc-ar6"]],
        years=[2024],
        factor_files=[demo_ledger.factors],
    )
    return {r.method_set.name: r for r in run.results}


CELLS = [
    ("ghg.scope1_pfc", "HUAXING"),
    ("ghg.scope1_process", "SMELT-HYD"),
    ("ghg.scope1_stationary_combustion", "HUAXING"),
    ("ghg.scope1", "NMAG"),
    ("ghg.scope2", "SMELT-HYD"),
]


@pytest.mark.parametrize("method_set", ["cn-default", "ipcc-ar6"])
@pytest.mark.parametrize(("indicator", "entity"), CELLS)
def test_the_gases_add_up_to_the_engine_figure(results, method_set, indicator, entity):
    result = results[method_set]
    figure = result.value(indicator, entity, "2024")
    gases = gas_split(result, indicator, entity, "2024")
    assert figure > 0
    assert sum(g.co2e_t for g in gases) == pytest.approx(figure, rel=1e-9)
    assert "CO2e" not in {g.gas for g in gases}  # every term of these figures is known


def test_pfcs_are_cf4_and_c2f6_masses_at_the_method_sets_gwp(results):
    """cn-default characterises with AR5 (CF4 6630, C2F6 11100), ipcc-ar6 with AR6 (7380,
    12400); the masses are the same gas either way, as the demo factors make them (C2F6 is
    a tenth of CF4: 0.010 against 0.10 kg per t of metal, demo_factors.yaml)."""
    masses = {}
    for name, gwp in (("cn-default", (6630, 11100)), ("ipcc-ar6", (7380, 12400))):
        split = {g.gas: g for g in gas_split(results[name], "ghg.scope1_pfc", "HUAXING", "2024")}
        assert set(split) == {"CF4", "C2F6"}
        assert split["CF4"].mass_t == pytest.approx(split["CF4"].co2e_t / gwp[0], rel=1e-12)
        assert split["C2F6"].mass_t == pytest.approx(split["C2F6"].co2e_t / gwp[1], rel=1e-12)
        masses[name] = (split["CF4"].mass_t, split["C2F6"].mass_t)
    assert masses["cn-default"] == pytest.approx(masses["ipcc-ar6"], rel=1e-12)
    assert masses["cn-default"][1] == pytest.approx(masses["cn-default"][0] / 10, rel=1e-12)


def test_combustion_ch4_and_n2o_are_split_where_the_method_set_counts_them(results):
    """ipcc-ar6 counts CH4 and N2O of combustion (IPCC 2006 Tier 1 x AR6 GWP: CH4 27.9,
    N2O 273); cn-default counts CO2 only, as the Chinese guidelines do."""
    ar6 = {
        g.gas: g
        for g in gas_split(
            results["ipcc-ar6"], "ghg.scope1_stationary_combustion", "HUAXING", "2024"
        )
    }
    assert {"CO2", "CH4", "N2O"} <= set(ar6)
    assert ar6["CH4"].mass_t == pytest.approx(ar6["CH4"].co2e_t / 27.9, rel=1e-12)
    assert ar6["N2O"].mass_t == pytest.approx(ar6["N2O"].co2e_t / 273, rel=1e-12)
    cn = gas_split(results["cn-default"], "ghg.scope1_stationary_combustion", "HUAXING", "2024")
    assert {g.gas for g in cn} == {"CO2"}


def test_a_figure_read_whole_by_another_keeps_its_gases(results):
    """ghg.scope1_process carries ghg.scope1_process_gross over as one term; the gases are
    found through it (gross adds anode CO2 and the PFCs), not labelled CO2."""
    result = results["cn-default"]
    process = {g.gas: g for g in gas_split(result, "ghg.scope1_process", "HUAXING", "2024")}
    pfc = {g.gas: g for g in gas_split(result, "ghg.scope1_pfc", "HUAXING", "2024")}
    for gas in ("CF4", "C2F6"):
        assert process[gas].mass_t == pytest.approx(pfc[gas].mass_t, rel=1e-12)
    anode = result.value("ghg.scope1_anode_co2", "HUAXING", "2024")
    assert process["CO2"].co2e_t == pytest.approx(anode, rel=1e-9)
