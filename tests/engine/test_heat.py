"""Purchased heat: steam states the tables refuse; what stands in for missing conditions."""

from __future__ import annotations

import pytest

from esgledger.engine.errors import CalculationError
from esgledger.engine.methods.heat import steam_enthalpy
from tests.engine.harness import run_case


def heat_case(inputs: dict) -> dict:
    return {
        "name": "t",
        "period": 2023,
        "entities": [{"code": "G", "kind": "group", "grid_region": "national"}],
        "input": {"G": inputs},
    }


def test_the_steam_tables_give_the_printed_enthalpies():
    # Cengel & Boles Table A-5 (1,000 kPa, h_g 2777.1) and A-6 (1.0 MPa, 300 C: 3051.6)
    assert steam_enthalpy(1.0, None) == pytest.approx(2777.1, abs=0.1)
    assert steam_enthalpy(1.0, 300.0) == pytest.approx(3051.6, abs=0.2)


def test_steam_colder_than_its_boiling_point_is_refused_naming_entity_and_inputs(tmp_path):
    inputs = {
        "energy.purchased_steam": 100,
        "energy.purchased_steam_pressure": 1.0,
        "energy.purchased_steam_temperature": 100,
    }
    with pytest.raises(CalculationError) as caught:
        run_case(heat_case(inputs), tmp_path)
    text = str(caught.value)
    assert "for G 2023" in text and "water is liquid" in text and "179.9 °C" in text
    assert "energy.purchased_steam_pressure" in text


def test_hot_water_without_temperature_is_refused(tmp_path):
    with pytest.raises(CalculationError, match="purchased hot water without its temperature"):
        run_case(heat_case({"energy.purchased_hot_water": 10}), tmp_path)


def test_steam_without_conditions_uses_the_gbt2589_content_and_says_so(tmp_path):
    results = run_case(heat_case({"energy.purchased_steam": 1000}), tmp_path)
    # GB/T 2589-2020 low-pressure steam 0.1286 kgce/kg x 29.307 GJ/tce = 3.7689 GJ/t
    assert results.value("energy.purchased_heat_gj", "G", "2023") == pytest.approx(
        1000 * 0.1286 * 29.307, rel=1e-6
    )
    notes = [str(d) for d in results.entities.diagnostics]
    assert any("purchased steam without pressure, temperature or enthalpy" in n for n in notes)
