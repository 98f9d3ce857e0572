"""Every shipped factor is asked for by some method under some shipped method set.

A factor no method reads is dead weight that looks like coverage (a fuel with factors but
no indicator). The engine is run with every input a method reads, under every shipped
method set (and each with road fuels mobile, or none, and CH4/N2O counted, as a user's
set may say),
and the keys it looked up are compared with the keys the shipped datasets hold.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from esgledger.catalog import load_catalog
from esgledger.engine.methodset import GridFactor, MethodSet, method_sets
from esgledger.engine.registry import get_method
from esgledger.engine.run import calculate
from esgledger.factors import load_factor_sets
from tests.engine.harness import observations_of, org_of

PFC = Path(__file__).parent / "factor_files" / "pfc_plant_factors.yaml"
# inputs whose value must be physically sensible for the method to run (°C, MPa)
SENSIBLE = {
    "energy.purchased_steam_pressure": 1.0,
    "energy.purchased_steam_temperature": 250.0,
    "energy.purchased_hot_water_temperature": 90.0,
    "energy.green_power_purchased": 1.0,
}
# left out: a measured enthalpy hides the steam tables, a reported purity the default one
STEAM_CONDITIONS = ("energy.purchased_steam_pressure", "energy.purchased_steam_temperature")
ROAD_FUELS = ("energy.diesel", "energy.gasoline", "energy.lpg", "energy.natural_gas")
LEFT_OUT = {"energy.purchased_steam_enthalpy", "process.oxalic_acid_purity"}


def method_inputs() -> dict[str, float]:
    """Every input indicator a method of the catalog reads, with a value."""
    catalog = load_catalog()
    reads = {  # Scope 3 factors are never shipped: each group gives its own
        r
        for i in catalog
        if i.method and not i.method.startswith("ghg.scope3")
        for r in get_method(i.method).reads
    }
    inputs = {r for r in reads if r in catalog and catalog.get(r).kind == "input"}
    return {r: SENSIBLE.get(r, 10.0) for r in sorted(inputs - LEFT_OUT)}


def variants(chosen: MethodSet) -> list[MethodSet]:
    everything = {  # the fuels IPCC 2006 Table 3.2.2 gives road CH4 and N2O factors for
        "mobile_fuels": ROAD_FUELS,
        "combustion_non_co2": True,
    }
    stationary = {"mobile_fuels": (), "combustion_non_co2": True}
    return [
        chosen,
        chosen.model_copy(update=everything),
        chosen.model_copy(update=stationary),
    ]


def keys_asked(method_set: MethodSet, inputs: dict[str, float]) -> set[str]:
    year = "2022" if method_set.grid_factor is GridFactor.CARBON_MARKET else "2023"
    results = calculate(
        observations_of({"G": inputs}, year),
        org_of([{"code": "G", "kind": "group", "grid_region": "north"}]),
        load_catalog(),
        load_factor_sets([PFC]),
        method_set,
        [year],
    )
    return {key for node in results.entities.nodes.values() for key in node.factors}


@cache
def asked_by_the_engine() -> frozenset[str]:
    inputs = method_inputs()
    asked = {
        key
        for chosen in method_sets().values()
        for variant in variants(chosen)
        for key in keys_asked(variant, inputs)
    }
    # steam without its conditions takes the GB/T 2589 content instead of the steam tables
    bare_steam = {k: v for k, v in inputs.items() if not k.startswith(STEAM_CONDITIONS)}
    asked |= keys_asked(method_sets()["cn-default"], bare_steam)
    return frozenset(asked)


def unused_keys(sets) -> list[str]:
    """Keys of the factor sets that no method asks for under any shipped method set."""
    return sorted({f.key for item in sets for f in item.factors} - asked_by_the_engine())


def test_every_shipped_factor_is_asked_for_by_a_method():
    unused = unused_keys(load_factor_sets().sets)
    assert not unused, f"shipped factors no method asks for (use them or remove them): {unused}"


def test_the_check_names_a_factor_no_method_asks_for(tmp_path):
    extra = tmp_path / "peat.yaml"
    extra.write_text(
        "name: peat\ntitle: t\nversion: '1'\nsource: test\nfactors:\n"
        "  - {key: ncv.peat, value: 9.76, unit: GJ/t, confidence: M, citation: test}\n",
        encoding="utf-8",
    )
    sets = load_factor_sets([extra]).sets
    assert "ncv.peat" in unused_keys(sets)
