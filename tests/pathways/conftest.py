"""A one-cell baseline small enough to project by hand."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from esgledger.pathways import Baseline, Scenario


def make_baseline(**overrides: Any) -> Baseline:
    """One smelting cell in 2024: 100 tce of coal (250 tCO2), 1,000 MWh bought at
    0.6 tCO2e/MWh (600 t), 40 t anode CO2 + 10 t carbonate CO2, 100 tREO of output.
    Electricity counts 0.1 tce/MWh, so energy = 100 + 100 = 200 tce and Scope 1+2 = 900 t.
    """
    one = np.array
    fields: dict[str, Any] = dict(
        year=2024,
        method_set="test",
        scope2_basis="location",
        cells=("smelting_separation",),
        segments=("smelting_separation",),
        scopes={"group": one([True]), "segment:smelting_separation": one([True])},
        carriers=("power_coal",),
        fuel_tce=one([[100.0]]),
        fuel_co2=one([[250.0]]),
        process_co2={
            "anode": one([40.0]),
            "pfc": one([0.0]),
            "carbonates": one([10.0]),
            "other": one([0.0]),
        },
        purchased_mwh=one([1000.0]),
        green_mwh=one([0.0]),
        self_mwh=one([0.0]),
        elec_co2_location=one([600.0]),
        elec_co2_market=one([600.0]),
        steam_tce=one([0.0]),
        steam_co2=one([0.0]),
        outputs={
            "production.reo_output": one([100.0]),
            "production.reo_output_smelting_separation": one([100.0]),
            "production.metal_output": one([0.0]),
        },
        tce_per_mwh=0.1,
        self_tce_per_mwh=0.1,
    )
    fields.update(overrides)
    return Baseline(**fields)


def scenario(**fields: Any) -> Scenario:
    return Scenario.model_validate({"name": "test", "end_year": 2027, **fields})


@pytest.fixture
def baseline() -> Baseline:
    return make_baseline()
