"""The demo group's footprints come from the demo ledger through the engine, and each names
the ledger observations and factors it rests on."""

from __future__ import annotations

import pytest

from esgledger.catalog import load_catalog
from esgledger.demo.generate import factor_file
from esgledger.engine.methodset import method_sets
from esgledger.ledger.database import open_database, unit_of_work
from esgledger.ledger.reads.observations import revisions_by_id
from esgledger.products.loading import read_system
from esgledger.products.model import Allocation
from esgledger.products.service import ledger_footprint, ledger_footprints

pytest.importorskip("bw2calc")  # the dev extra is installed with the suite


@pytest.fixture(scope="module")
def demo(demo_ledger, tmp_path_factory):
    from esgledger.demo.products import load_supplier_footprints, product_system_files

    url = demo_ledger.copy_to(tmp_path_factory.mktemp("products"))
    database = open_database(url)
    load_supplier_footprints(database, "demo-manager")
    [path] = product_system_files()
    system = read_system(path)
    with unit_of_work(database) as session:
        results = {
            allocation: ledger_footprint(
                session,
                system,
                load_catalog(),
                method_sets()["cn-default"],
                2024,
                factor_files=[demo_ledger.factors],
                allocation=allocation,
            )
            for allocation in Allocation
        }
    yield system, results, database
    database.dispose()


def test_electrolysis_reads_huaxing_emissions_per_tonne_of_metal(demo):
    _, results, _ = demo
    result = results[Allocation.ECONOMIC]
    figures = {
        f.indicator: f.value
        for f in result.lineage.figures
        if f.process == "molten-salt-electrolysis"
    }
    emitted = sum(v for k, v in figures.items() if k.startswith("ghg."))
    per_tonne = emitted / figures["production.metal_output"]  # t CO2e per t metal
    rows = [
        i
        for i, row in enumerate(result.matrices.flows)
        if row.kind == "ledger" and row.key.startswith("ledger:molten-salt-electrolysis:")
    ]
    column = result.matrices.columns.index("molten-salt-electrolysis")
    masses = result.matrices.biosphere[rows, column].toarray().ravel()  # kg gas per t metal
    gases = [result.matrices.flows[i].gas for i in rows]
    # back to the engine's CO2e: cn-default characterises with AR5 (ar5.yaml, Table 8.A.1)
    as_engine = sum(m * ENGINE_AR5[g] for m, g in zip(masses, gases, strict=True))
    assert as_engine == pytest.approx(per_tonne * 1000, rel=1e-12)
    assert per_tonne > 5  # the demo's Huaxing: several t CO2e per t of PrNd metal


ENGINE_AR5 = {"CO2": 1.0, "CF4": 6630.0, "C2F6": 11100.0}


def test_electrolysis_pfcs_are_masses_of_cf4_and_c2f6_worked_by_hand(demo):
    """Huaxing's PFCs: metal [t] × EF [kg/t] × GWP in the engine (AR5, cn-default). Per
    tonne of metal the masses are the demo factors themselves (demo_factors.yaml: 0.10 kg
    CF4 and 0.010 kg C2F6 per t), and the footprint characterises them with AR6
    (ar6.yaml: CF4 7380, C2F6 12400): 738 and 124 kg CO2e per t of metal."""
    result = demo[1][Allocation.ECONOMIC]
    matrices = result.matrices
    column = matrices.columns.index("molten-salt-electrolysis")
    keys = [row.key for row in matrices.flows]
    cf4 = keys.index("ledger:molten-salt-electrolysis:ghg.scope1_pfc:CF4")
    c2f6 = keys.index("ledger:molten-salt-electrolysis:ghg.scope1_pfc:C2F6")
    # the factor counts metal made by electrolysis, the process per t of all metal output
    made = [
        o
        for o in result.lineage.observations
        if o.entity == "HUAXING" and o.indicator == "process.re_metal_electrolysis_output"
    ]
    assert made and {o.unit for o in made} == {"t"}
    [output] = [f for f in result.lineage.figures if f.indicator == "production.metal_output"]
    by_electrolysis = sum(o.value for o in made) / output.value
    assert 0.5 < by_electrolysis <= 1
    assert matrices.biosphere[cf4, column] == pytest.approx(0.10 * by_electrolysis, rel=1e-12)
    assert matrices.biosphere[c2f6, column] == pytest.approx(0.010 * by_electrolysis, rel=1e-12)
    assert matrices.characterisation[cf4] * 0.10 == pytest.approx(738.0, rel=1e-12)
    assert matrices.characterisation[c2f6] * 0.010 == pytest.approx(124.0, rel=1e-12)
    per_kg_magnet = 0.10e-3 * by_electrolysis * 0.31 * 1.08  # kg CF4 per kg of magnet
    assert {row.gas for row in matrices.flows if ":ghg.scope1_pfc:" in row.key} == {
        "CF4",
        "C2F6",
    }
    footprint = result.footprint
    assert footprint.ipcc_characterization == ("AR6",)
    by_gas = {g.gas: g for g in footprint.by_gas}
    # per kg of magnet: 0.31 t PrNd metal per t of flake x 1.08 t flake per t of magnet
    assert by_gas["CF4"].mass.magnitude == pytest.approx(per_kg_magnet, rel=1e-9)
    assert by_gas["CF4"].co2e.magnitude == pytest.approx(7380 * per_kg_magnet, rel=1e-9)


def test_the_footprint_names_the_ledger_rows_it_rests_on(demo):
    _, results, database = demo
    lineage = results[Allocation.ECONOMIC].lineage
    used = {(o.entity, o.indicator) for o in lineage.observations}
    assert ("HUAXING", "energy.purchased_electricity") in used
    assert ("SMELT-HYD", "production.reo_output_smelting_separation") in used
    assert all(o.period.startswith("2024") for o in lineage.observations)
    some = lineage.observations[:5]
    with unit_of_work(database) as session:
        stored = revisions_by_id(session, [o.revision_id for o in some])
    assert {i: (r.entity, r.indicator) for i, r in stored.items()} == {
        o.revision_id: (o.entity, o.indicator) for o in some
    }
    assert lineage.snapshot_hash
    assert any("cn_grid_mee" in row.citation for row in lineage.factors)


def test_the_recorded_supplier_footprint_replaces_the_background_factor(demo):
    _, results, _ = demo
    matrices = results[Allocation.ECONOMIC].matrices
    keys = {row.key: row for row in matrices.flows}
    assert "supplier:ferroboron" in keys and "background:ferroboron" not in keys
    assert keys["supplier:ferroboron"].factor == pytest.approx(5200.0)  # kg CO2e per t
    assert keys["supplier:ferroboron"].primary_share == 0.6


def test_a_footprint_entered_by_hand_and_one_received_over_pact_share_the_register(demo):
    """The demo received the acid over PACT; the fixture entered ferroboron by hand: the
    product system reads both, the PACT views list only the PACT JSON."""
    from esgledger.pact.received import supplier_footprints as received

    _, results, database = demo
    keys = {row.key for row in results[Allocation.ECONOMIC].matrices.flows}
    assert {"supplier:ferroboron", "supplier:hydrochloric-acid"} <= keys
    with unit_of_work(database) as session:
        [only] = received(session)
    assert only["productIds"] == ["urn:pact:chlor-alkali.example.cn:product-id:hcl-31"]


def test_allocation_is_switchable_and_moves_the_burden_to_the_valuable_oxide(demo):
    _, results, _ = demo
    magnet = {a: r.solution.score for a, r in results.items()}
    assert magnet[Allocation.ECONOMIC] > magnet[Allocation.SUBSTITUTION] > magnet[Allocation.MASS]
    assert results[Allocation.MASS].footprint.allocation == "mass"
    assert 5 < magnet[Allocation.ECONOMIC] < 40  # kg CO2e per kg of sintered NdFeB


def test_pact_fields_are_filled(demo):
    _, results, _ = demo
    footprint = results[Allocation.ECONOMIC].footprint
    assert footprint.product_id == "ndfeb-magnet" and footprint.entity == "NMAG"
    assert 0 < footprint.primary_data_share < 1
    assert set(footprint.data_quality) == {
        "technological",
        "temporal",
        "geographical",
        "completeness",
        "reliability",
    }
    assert sum(g.co2e.magnitude for g in footprint.by_gas) == pytest.approx(
        footprint.fossil.magnitude
    )


def test_one_read_gives_every_published_product(demo):
    system, _, database = demo
    with unit_of_work(database) as session:
        results = ledger_footprints(
            session,
            [system],
            load_catalog(),
            method_sets()["cn-default"],
            2024,
            factor_files=[factor_file()],
        )
    made = [r.footprint.product_id for r in results]
    assert made == ["la-oxide", "ce-oxide", "prnd-oxide", "prnd-metal", "ndfeb-magnet"]
    by_product = {r.footprint.product_id: r.solution.score for r in results}
    # economic allocation: the valuable PrNd oxide carries far more than La or Ce oxide
    assert by_product["prnd-oxide"] > 5 * by_product["la-oxide"]
    assert by_product["prnd-metal"] > by_product["prnd-oxide"]
