"""Scope 3 category 1 by the hybrid method: supplier-specific emissions plus spend-based for
the spend they do not cover (GHG Protocol, Technical Guidance for Calculating Scope 3
Emissions v1.0, 2013, category 1: supplier-specific method eq. 1.1, hybrid method 1.3).

Hand-worked: spend 10,000,000 CNY of which 4,000,000 CNY is covered by suppliers'
product footprints totalling 1,500 tCO2e; spend factor 0.0005 tCO2e/CNY (a test value).
  1,500 + (10,000,000 - 4,000,000) x 0.0005 = 1,500 + 3,000 = 4,500 tCO2e.
Counting the covered spend again would give 1,500 + 5,000 = 6,500 tCO2e.
"""

from __future__ import annotations

import pytest

from esgledger.engine.errors import CalculationError
from esgledger.engine.explain import explain
from tests.engine.test_engine_behaviour import with_factor_file

SPEND_FACTOR = "  - {key: scope3_ef.cat1.spend, value: 0.0005, unit: tCO2e/CNY, confidence: M}\n"


def hybrid(tmp_path, covered=4_000_000.0, specific=1_500.0):
    inputs = {
        "G": {
            "scope3.cat1_purchased_spend": 10_000_000,
            "scope3.cat1_supplier_covered_spend": covered,
            "scope3.cat1_supplier_specific": specific,
        }
    }
    results, _ = with_factor_file(tmp_path, SPEND_FACTOR, inputs)
    return results


def test_cat1_adds_supplier_specific_emissions_and_spend_based_for_the_rest(tmp_path):
    results = hybrid(tmp_path)
    assert results.value("ghg.scope3_cat1", "G", "2024") == pytest.approx(4_500)
    tree = explain(results, "ghg.scope3_cat1", "G", "2024")
    assert "scope3.cat1_supplier_specific" in str(tree)


def test_cat1_without_supplier_data_is_spend_based_alone(tmp_path):
    results = hybrid(tmp_path, covered=0.0, specific=0.0)
    assert results.value("ghg.scope3_cat1", "G", "2024") == pytest.approx(5_000)


def test_covered_spend_above_the_spend_is_refused_naming_the_cell(tmp_path):
    with pytest.raises(CalculationError, match=r"more than scope3.cat1_purchased_spend for G 2024"):
        hybrid(tmp_path, covered=12_000_000.0)
