"""Early warning from the year-to-date monthly run rate."""

from __future__ import annotations

import pytest

from esgledger.catalog import load_catalog
from esgledger.engine.methodset import get_method_sets
from esgledger.engine.run import calculate
from esgledger.factors import load_factor_sets
from esgledger.periods import Granularity
from esgledger.targets import Status, TargetFile, evaluate_targets
from esgledger.targets.runrate import annualisation_power, run_rate
from tests.engine.harness import observations_of, org_of

ENTITIES = [
    {"code": "GRP", "kind": "group"},
    {"code": "A", "parent": "GRP", "segment": "smelting_separation", "grid_region": "north"},
]
MONTHS = [f"2024-{m:02d}" for m in range(1, 13)]
INPUTS = {
    "A": {
        "energy.purchased_electricity": {
            "2023": 1000,
            "2024-01": 100,
            "2024-02": 100,
            "2024-03": 100,
        },
        "production.reo_output": {"2023": 100, "2024-01": 10, "2024-02": 10, "2024-03": 10},
    }
}


def _calculate(periods, granularity):
    return calculate(
        observations_of(INPUTS, "2023"),
        org_of(ENTITIES),
        load_catalog(),
        load_factor_sets(),
        get_method_sets("cn-default")[0],
        periods,
        granularity,
    )


@pytest.fixture(scope="module")
def monthly():
    return _calculate(MONTHS, Granularity.MONTH)


@pytest.fixture(scope="module")
def yearly():
    return _calculate(["2023"], Granularity.YEAR)


def test_totals_scale_to_twelve_months_and_intensities_do_not(monthly):
    """Jan-Mar: 300 MWh x 0.1229 = 36.87 tce, x 12/3 = 147.48 tce for the year. The energy
    intensity is 36.87 t / 30 tREO = 1,229 kgce/tREO so far and for the year."""
    catalog = load_catalog()
    energy = run_rate(monthly, catalog, "energy.total", "group", 2024, 3)
    assert energy.year_to_date == pytest.approx(36.87)
    assert energy.projected == pytest.approx(147.48)
    intensity = run_rate(monthly, catalog, "energy.intensity_per_treo", "group", 2024, 3)
    assert intensity.year_to_date == pytest.approx(1229.0)
    assert intensity.projected == pytest.approx(1229.0)


def test_annualisation_follows_the_catalog():
    catalog = load_catalog()
    assert annualisation_power(catalog, "energy.total") == 1
    assert annualisation_power(catalog, "ghg.intensity_per_treo") == 0
    assert annualisation_power(catalog, "customer.satisfaction_rate") == 0
    assert annualisation_power(catalog, "safety.ltifr_per_1000") == 1  # injuries / headcount


def test_a_run_rate_that_projects_a_miss_raises_a_warning(monthly, yearly):
    """A 2024 cap of 140 tce: the Jan-Mar run rate projects 147.48 tce, a miss."""
    cap = {
        "id": "cap",
        "name": {"en": "cap", "zh": "上限"},
        "indicator": "energy.total",
        "type": "absolute_cap",
        "target_year": 2024,
        "target_value": 140,
        "source": "test",
    }
    file = TargetFile.model_validate({"targets": [cap]})
    (report,) = evaluate_targets(file, yearly, monthly=monthly, through=(2024, 3))
    last = report.years[-1]
    assert (last.year, last.projected, last.status) == (2024, True, Status.MISSED)
    assert report.latest == last
    assert report.warning == (
        "cap: the Jan-Mar 2024 run rate projects 147.5 tce for 2024, above the target of "
        "140 tce (missed)"
    )


def test_a_run_rate_on_track_gives_no_warning(monthly, yearly):
    cap = {
        "id": "cap",
        "name": {"en": "cap", "zh": "上限"},
        "indicator": "energy.total",
        "type": "absolute_cap",
        "target_year": 2024,
        "target_value": 150,
        "source": "test",
    }
    file = TargetFile.model_validate({"targets": [cap]})
    (report,) = evaluate_targets(file, yearly, monthly=monthly, through=(2024, 3))
    assert report.warning is None and report.years[-1].status is Status.MET
