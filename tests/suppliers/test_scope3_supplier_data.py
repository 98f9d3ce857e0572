"""Supplier-specific figures for Scope 3 category 1, hand-worked (GHG Protocol Technical
Guidance for Calculating Scope 3 Emissions, 2013, category 1, supplier-specific method:
sum of quantity purchased x supplier's cradle-to-gate emission factor per unit).

Supplier S1 (bought by SMELT) gave footprints: ammonium bicarbonate 1,200 kgCO2e/t,
hydrochloric acid 480 kgCO2e/t. Its 2024 deliveries: 500 t ammonium bicarbonate for
1,000,000 CNY; 2,000,000 kg hydrochloric acid for 1,600,000 CNY; maintenance 300,000 CNY
(no footprint: stays spend-based).
  500 x 1,200 / 1,000 = 600 tCO2e;  2,000,000 kg = 2,000 t x 480 / 1,000 = 960 tCO2e
  supplier-specific 1,560 tCO2e, covering 1,000,000 + 1,600,000 = 2,600,000 CNY.
"""

from __future__ import annotations

import pytest

from esgledger.catalog import load_catalog
from esgledger.ledger.database import unit_of_work
from esgledger.ledger.reads.records import current_record
from esgledger.ledger.revisions import Selection, latest_revisions
from esgledger.suppliers.scope3 import entity_figures, feed_scope3
from tests.suppliers.helpers import answer, register, supplier

FOOTPRINTS = [
    {"product": "碳酸氢铵", "unit": "t", "kgco2e_per_unit": "1200", "method": "iso14067",
     "verified": "yes"},
    {"product": "盐酸", "unit": "t", "kgco2e_per_unit": "480", "method": "ghgp_product",
     "verified": "no"},
]  # fmt: skip
DELIVERIES = [
    {"product": "碳酸氢铵", "quantity": "500", "unit": "t", "amount_cny": "1000000"},
    {"product": " 盐酸 ", "quantity": "2000000", "unit": "kg", "amount_cny": "1600000"},
    {"product": "检修服务", "quantity": "1", "unit": "item", "amount_cny": "300000"},
]


def _answered(database):
    register(database, supplier("S1"), supplier("S2", entity="METAL"))
    answer(database, "S1", "footprint", lines={"products": FOOTPRINTS}, year=2023)
    answer(database, "S1", "spend", lines={"deliveries": DELIVERIES})
    # S2 gave spend only: nothing supplier-specific for METAL
    answer(database, "S2", "spend", lines={"deliveries": DELIVERIES[2:]})


def test_deliveries_with_a_footprint_count_quantity_times_footprint(ledger):
    _answered(ledger)
    with unit_of_work(ledger) as session:
        [smelt] = entity_figures(session, 2024)
    assert smelt.entity == "SMELT"
    assert smelt.tco2e == pytest.approx(1_560)
    assert smelt.covered_spend == pytest.approx(2_600_000)
    assert sorted(line["tco2e"] for line in smelt.lines) == pytest.approx([600, 960])


def test_a_footprint_in_a_unit_the_quantity_does_not_convert_to_covers_nothing(ledger):
    register(ledger, supplier("S1"))
    answer(ledger, "S1", "footprint", lines={"products": FOOTPRINTS[:1]})
    answer(ledger, "S1", "spend", lines={"deliveries": [DELIVERIES[0] | {"unit": "MWh"}]})
    with unit_of_work(ledger) as session:
        assert entity_figures(session, 2024) == []


def test_feeding_writes_draft_values_with_lineage_once(ledger):
    _answered(ledger)
    catalog = load_catalog()
    with unit_of_work(ledger) as session:
        feed_scope3(session, 2024, actor="manager", catalog=catalog)
    with unit_of_work(ledger) as session:
        feed_scope3(session, 2024, actor="manager", catalog=catalog)  # unchanged: nothing new
        values = {r.indicator: r for r in latest_revisions(session, Selection(["SMELT"], ["2024"]))}
        lineage = current_record(session, "suppliers.scope3", "SMELT/2024")
    specific = values["scope3.cat1_supplier_specific"]
    covered = values["scope3.cat1_supplier_covered_spend"]
    assert (specific.status, specific.canonical_value) == ("draft", pytest.approx(1_560))
    assert covered.canonical_value == pytest.approx(2_600_000)
    assert lineage.version == 1 and len(lineage.payload["lines"]) == 2
    assert {line["spend_answer"] for line in lineage.payload["lines"]} != {None}
