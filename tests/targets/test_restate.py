"""Base-year recalculation after an acquisition (or a divestment), with the threshold."""

from __future__ import annotations

import pytest

from esgledger.catalog import load_catalog
from esgledger.engine.methodset import get_method_sets
from esgledger.engine.run import calculate
from esgledger.factors import load_factor_sets
from esgledger.targets import Status, TargetFile, evaluate_targets
from esgledger.targets.restate import ChangeEffect, restate
from tests.engine.harness import observations_of, org_of

ENTITIES = [
    {"code": "GRP", "kind": "group"},
    {"code": "P1", "parent": "GRP", "segment": "metals", "grid_region": "east"},
    {"code": "P2", "parent": "GRP", "segment": "metals", "grid_region": "east"},
    {
        "code": "ZX",
        "parent": "GRP",
        "segment": "metals",
        "grid_region": "east",
        "tags": ["acquired-2024"],
    },
]


def _results(zx_mwh: float):
    """P1 buys 1,000 MWh and makes 100 t of metal in 2022 and 2024; ZX joined in 2024 with
    ``zx_mwh`` and 20 t; P2 buys 200 MWh in 2022 only (sold in 2024, when declared so)."""
    inputs = {
        "P1": {
            "energy.purchased_electricity": {"2022": 1000, "2024": 1000},
            "production.metal_output": {"2022": 100, "2024": 100},
        },
        "P2": {"energy.purchased_electricity": {"2022": 200}},
        "ZX": {
            "energy.purchased_electricity": {"2024": zx_mwh},
            "production.metal_output": {"2024": 20},
        },
    }
    return calculate(
        observations_of(inputs, "2022"),
        org_of(ENTITIES),
        load_catalog(),
        load_factor_sets(),
        get_method_sets("cn-default")[0],
        ["2022", "2024"],
    )


def _targets(*extra, changes=()):
    energy = {
        "id": "energy",
        "name": {"en": "e", "zh": "能耗"},
        "indicator": "energy.total",
        "scope": "group",
        "type": "absolute_cap",
        "base_year": 2022,
        "target_year": 2025,
        "target_value": 100.0,
        "source": "test",
    }
    return TargetFile.model_validate(
        {"targets": [energy, *extra], "structural_changes": list(changes)}
    )


def test_an_acquisition_above_the_threshold_restates_the_base():
    """2022 group energy: 1,200 MWh x 0.1229 = 147.48 tce. ZX's 2024 figure, pro forma for
    2022: 150 MWh x 0.1229 = 18.435 tce = 12.5 % >= 5 %: restated base 165.915 tce."""
    (report,) = evaluate_targets(_targets(), _results(zx_mwh=150))
    restated = report.restatement
    assert restated.original == pytest.approx(147.48)
    assert restated.share_pct == pytest.approx(12.5)
    assert restated.applied and restated.restated == pytest.approx(165.915)
    assert report.base_value == pytest.approx(165.915)
    assert report.restated_from == 2024
    assert "pro forma from its 2024 figures" in restated.note and "ZX" in restated.note


def test_an_acquisition_below_the_threshold_keeps_the_original_base():
    """ZX with 48 MWh: 5.8992 / 147.48 = 4 % < 5 %: the base stays 147.48, the restated
    figure is still shown beside it."""
    (report,) = evaluate_targets(_targets(), _results(zx_mwh=48))
    restated = report.restatement
    assert restated.share_pct == pytest.approx(4.0)
    assert not restated.applied
    assert report.base_value == pytest.approx(147.48)
    assert restated.restated == pytest.approx(147.48 + 5.8992)
    assert "4.0 % of the base-year figure < 5 %, not restated" in restated.note


def test_an_intensity_is_restated_on_numerator_and_denominator():
    """Metal intensity: (Scope 1+2 of P1 in 2022 + ZX's 2024 Scope 1+2) / (100 + 20) t."""
    metals = {
        "id": "metals",
        "name": {"en": "m", "zh": "金属"},
        "indicator": "ghg.intensity_metals",
        "scope": "segment:metals",
        "type": "intensity_cap",
        "base_year": 2022,
        "target_year": 2025,
        "target_value": 5.0,
        "source": "test",
    }
    results = _results(zx_mwh=150)
    report = evaluate_targets(_targets(metals), results)[1]
    scope12 = results.value("ghg.scope12_total", "segment:metals", "2022")
    zx = results.value("ghg.scope12_total", "ZX", "2024")
    assert report.restatement.original == pytest.approx(scope12 / 100)
    assert report.restatement.restated == pytest.approx((scope12 + zx) / 120)
    assert report.restatement.share_pct == pytest.approx(zx / scope12 * 100)


def test_a_declared_divestment_takes_the_entity_out_of_the_base():
    """P2 sold in 2024: its 2022 figure, 200 MWh = 24.58 tce (16.7 %), leaves the base;
    ZX (48 MWh) joins it: 147.48 - 24.58 + 5.8992 = 128.7992 tce."""
    sold = [{"entity": "P2", "kind": "divestment", "year": 2024}]
    (report,) = evaluate_targets(_targets(changes=sold), _results(zx_mwh=48))
    assert report.restatement.applied
    assert report.base_value == pytest.approx(128.7992)
    assert "divestment of P2 in 2024 (reported for 2022)" in report.restatement.note


def test_the_threshold_itself_restates():
    """Exactly 5 % (50 of 1,000) is significant."""
    acquired = ChangeEffect(label="X", kind="acquisition", year=2024, basis="", numerator=50.0)
    result = restate(2022, 1000.0, None, 1.0, [acquired], threshold_pct=5.0)
    assert result.applied and result.restated == 1050.0


def test_status_uses_the_restated_base_from_the_acquisition_on():
    """Energy cap 100 tce in 2025 from the restated 165.915 in 2022: 2024 asks
    165.915 - 2/3 x 65.915 = 121.97; the 2024 actual (1,150 MWh = 141.335 tce) is at risk."""
    (report,) = evaluate_targets(_targets(), _results(zx_mwh=150))
    (row,) = [r for r in report.years if r.year == 2024]
    assert row.trajectory == pytest.approx(165.915 - 2 / 3 * 65.915)
    assert row.value == pytest.approx(141.335)
    assert row.status is Status.AT_RISK
