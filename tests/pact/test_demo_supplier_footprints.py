"""The demo receives a supplier's footprint over PACT's storing path, and its published
footprints rest on it: the ledger holds the PACT payload, the smelting-separation acid is
explained by the supplier's footprint rather than the background value, the primary-data
share rises by as much as the hand-worked sum says, and each published payload says why
its biogenic uptake is zero."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from esgledger.catalog import load_catalog
from esgledger.demo.products import PACT_FILE, pact_settings, product_system_files
from esgledger.engine.methodset import method_sets
from esgledger.ledger.database import open_database, unit_of_work
from esgledger.ledger.reads.records import current_records
from esgledger.pact import spec
from esgledger.pact.received import SUPPLIER_FOOTPRINTS
from esgledger.pact.store import published
from esgledger.products.compute import FootprintResult
from esgledger.products.explain import flow_lines
from esgledger.products.loading import read_system
from esgledger.products.model import ProductSystem
from esgledger.products.service import ledger_footprints

ACID = "hydrochloric-acid"
BACKGROUND_KG_PER_T = 790.0  # rare_earth_chain.yaml, the acid's cited value
SUPPLIER_KG_PER_T = 680.0  # the received footprint: 0.68 kg CO2e per kg
SUPPLIER_PRIMARY = 0.72  # its primaryDataShare, 72 %


def _received() -> dict:
    name = pact_settings()["supplier"]["file"]
    [footprint] = json.loads(PACT_FILE.with_name(name).read_text(encoding="utf-8"))["data"]
    return footprint


def _without_supplier(system: ProductSystem) -> ProductSystem:
    """The same system with the acid's PACT product ids removed: its background value again."""
    background = [
        b.model_copy(update={"supplier_product_ids": []}) if b.product == ACID else b
        for b in system.background
    ]
    return system.model_copy(update={"background": background})


@pytest.fixture(scope="module")
def demo(demo_ledger):
    """The demo ledger's footprints with and without the received acid footprint, and what
    the demo published."""
    database = open_database(demo_ledger.url)
    [system] = [read_system(path) for path in product_system_files()]
    with unit_of_work(database) as session:
        held = current_records(session, SUPPLIER_FOOTPRINTS)
        pfs = published(session)
        both = [
            {
                r.footprint.product_id: r
                for r in ledger_footprints(
                    session,
                    [variant],
                    load_catalog(),
                    method_sets()["cn-default"],
                    2024,
                    factor_files=[demo_ledger.factors],
                )
            }
            for variant in (system, _without_supplier(system))
        ]
    database.dispose()
    yield system, held, pfs, both[0], both[1]


def test_the_demo_ledger_holds_the_received_supplier_footprint(demo):
    _, held, _, _, _ = demo
    sent = _received()
    [record] = [r for r in held if r.key == sent["id"]]
    assert record.payload == sent  # the PACT JSON exactly as received
    assert record.payload["companyName"] == "包头示例氯碱供应商（演示）"
    assert spec.problems(record.payload) == []


def _acid_line(result: FootprintResult):
    return [line for line in flow_lines(result) if line.key.endswith(f":{ACID}")]


def test_the_explanation_names_the_supplier_footprint_not_the_background_value(demo):
    _, _, _, with_supplier, without = demo
    sent = _received()
    for product, result in with_supplier.items():
        [line] = _acid_line(result)
        assert line.key == f"supplier:{ACID}" and line.kind == "supplier", product
        assert sent["companyName"] in line.source and sent["id"] in line.source
        assert "ILLUSTRATIVE" not in line.source  # not the background value's citation
        assert line.factor == pytest.approx(SUPPLIER_KG_PER_T)
        [before] = _acid_line(without[product])
        assert before.key == f"background:{ACID}"
        assert before.factor == pytest.approx(BACKGROUND_KG_PER_T)


def test_the_primary_data_share_rises_as_worked_by_hand(demo):
    """Only the acid's row changes: its contribution h scales by 680/790 and becomes 72 %
    primary, so P1 = (P0 T0 + 0.72 h1) / (T0 - h0 + h1), T the sum of absolute
    contributions, and the footprint moves by h1 - h0."""
    _, _, _, with_supplier, without = demo
    for product, before in without.items():
        h0 = _acid_line(before)[0].kg_co2e
        h1 = h0 * SUPPLIER_KG_PER_T / BACKGROUND_KG_PER_T
        t0 = float(abs(before.solution.characterised).sum())
        p0 = before.footprint.primary_data_share
        expected = (p0 * t0 + SUPPLIER_PRIMARY * abs(h1)) / (t0 - abs(h0) + abs(h1))
        after = with_supplier[product]
        assert h0 > 0, product  # every product of the chain carries some acid
        assert after.footprint.primary_data_share == pytest.approx(expected, rel=1e-9)
        assert after.footprint.primary_data_share > p0 + 0.001, product
        assert after.solution.score == pytest.approx(before.solution.score - h0 + h1, rel=1e-9)


def test_the_published_footprints_rest_on_the_receipt_and_say_why_no_biogenic_uptake(demo):
    system, _, pfs, with_supplier, without = demo
    assert len(pfs) == len(with_supplier) == 5
    for pf in pfs:
        assert spec.problems(pf) == [], pf["productNameCompany"]
        product = pf["productIds"][0].rsplit(":", 1)[1]
        share = float(Decimal(pf["pcf"]["primaryDataShare"])) / 100
        assert share == pytest.approx(with_supplier[product].footprint.primary_data_share)
        assert share > without[product].footprint.primary_data_share + 0.001, product
        boundary = pf["pcf"]["boundaryProcessesDescription"]
        assert boundary.startswith("cradle-to-gate")
        assert system.biogenic is not None
        assert system.biogenic.reason.en in boundary and system.biogenic.reason.zh in boundary
