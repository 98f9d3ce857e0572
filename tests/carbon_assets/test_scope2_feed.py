"""Retired certificates and green power become market-based Scope 2 inputs, counted once.

Figures: SMELT buys 1,000 MWh in 2023-03 (national grid). It retires 300 GECs numbered
1001-1300 (1 certificate = 1 MWh, NDRC/MOF/NEA 发改能源〔2023〕1044号) and claims 200 MWh
of contract GP-1: 500 MWh of green electricity. Market-based Scope 2 (GHG Protocol Scope 2
Guidance ch. 6-7): (1,000 − 500) MWh × 0.6096 tCO2/MWh (the method set's 2023 residual
mix, the figure the engine scenario "green power at zero" uses: 3,657.6 / 6,000) = 304.8
tCO2e; location-based 1,000 × 0.5306 = 530.6 tCO2e.
"""

from __future__ import annotations

import pytest

from esgledger.calc.service import run_calculation
from esgledger.carbon_assets.scope2_feed import LINEAGE, feed_scope2
from esgledger.catalog import load_catalog
from esgledger.engine.methodset import get_method_sets
from esgledger.errors import EsgError
from esgledger.ledger import revisions
from esgledger.ledger.database import unit_of_work
from esgledger.ledger.imports.apply import import_file
from esgledger.ledger.reads.records import current_records
from tests.carbon_assets.conftest import move, save

GREEN = "energy.green_power_purchased"


def gec(ref, serials, count, entity="SMELT", period="2023-03", produced=2023):
    return move(ref, entity, "gec", "retirement", count, serials=serials, period=period,
                production_year=produced)  # fmt: skip


def retire(ledger):
    save(
        ledger,
        move("G-BUY", "SMELT", "gec", "purchase", 500),
        gec("G-RET-1", "1001-1300", 300),
        move("GP-1-2023-03", "SMELT", "green_power", "retirement", 200, period="2023-03",
             contract="GP-1"),
    )  # fmt: skip


def feed(ledger, **more):
    with unit_of_work(ledger) as session:
        return feed_scope2(session, load_catalog(), actor="carbon", **more)


def test_retirements_become_one_draft_observation_per_month_with_lineage(ledger):
    retire(ledger)
    months = feed(ledger)
    assert [(m.entity, m.period, m.mwh) for m in months] == [("SMELT", "2023-03", 500.0)]
    with unit_of_work(ledger) as session:
        (lineage,) = current_records(session, LINEAGE)
        ((row, changeset),) = revisions.history(session, "SMELT", "2023-03", GREEN)
    assert lineage.payload["retirements"] == ["G-RET-1", "GP-1-2023-03"]
    assert (lineage.payload["mwh"], lineage.payload["changeset"]) == (500.0, changeset.id)
    assert (row.canonical_value, row.status) == (500.0, revisions.DRAFT)


def test_feeding_again_writes_nothing_new(ledger):
    retire(ledger)
    feed(ledger)
    feed(ledger)
    with unit_of_work(ledger) as session:
        history = revisions.history(session, "SMELT", "2023-03", GREEN)
        (lineage,) = current_records(session, LINEAGE)
    assert len(history) == 1 and lineage.version == 1


def test_a_certificate_is_retired_once_whoever_claims_it(ledger):
    retire(ledger)
    save(ledger, move("G-BUY-M", "METAL", "gec", "purchase", 100))
    with pytest.raises(EsgError) as raised:
        save(ledger, gec("G-RET-2", "1290-1310", 21, entity="METAL"))
    assert raised.value.code == "carbon_asset.certificate_twice"
    assert "G-RET-1" in raised.value.message


def test_a_contract_month_of_green_power_is_claimed_once(ledger):
    retire(ledger)
    with pytest.raises(EsgError) as raised:
        save(ledger, move("GP-1-again", "SMELT", "green_power", "retirement", 50,
                          period="2023-03", contract="GP-1"))  # fmt: skip
    assert raised.value.code == "carbon_asset.green_power_twice"


def test_certificates_outside_their_validity_are_refused(ledger):
    save(ledger, move("G-BUY", "SMELT", "gec", "purchase", 10))
    with pytest.raises(EsgError) as raised:
        save(ledger, gec("OLD", "1-10", 10, period="2024-01", produced=2021))
    assert raised.value.code == "carbon_asset.gec_expired"


def approved_electricity(ledger, write_csv, mwh):
    rows = [("SMELT", "2023-03", "energy.purchased_electricity", mwh, "MWh", "")]
    with unit_of_work(ledger) as session:
        import_file(session, write_csv("e.csv", rows), "reporter", load_catalog(), submit=True)
    with unit_of_work(ledger) as session:
        revisions.change_status(session, "manager", revisions.APPROVED, revisions.Selection())


def test_green_electricity_above_the_approved_electricity_bought_is_refused(ledger, write_csv):
    approved_electricity(ledger, write_csv, 400)
    retire(ledger)  # 500 MWh for 2023-03
    with pytest.raises(EsgError) as raised:
        feed(ledger)
    assert raised.value.code == "carbon_asset.more_than_consumed"
    assert "500.0 MWh" in raised.value.message and "400.0 MWh" in raised.value.message
    with unit_of_work(ledger) as session:
        assert revisions.history(session, "SMELT", "2023-03", GREEN) == []


def test_market_based_scope2_reads_the_retired_green_electricity(ledger, write_csv):
    catalog = load_catalog()
    approved_electricity(ledger, write_csv, 1000)
    retire(ledger)
    feed(ledger)
    for status in (revisions.SUBMITTED, revisions.APPROVED):  # reviewed like any value
        with unit_of_work(ledger) as session:
            revisions.change_status(session, "manager", status, revisions.Selection())
    with unit_of_work(ledger) as session:
        run = run_calculation(
            session, catalog, get_method_sets("cn-default"), author="t", years=[2023]
        )
    results = run.results[0]
    assert results.value("ghg.scope2_location", "SMELT", "2023") == pytest.approx(530.6)
    assert results.value("ghg.scope2_market", "SMELT", "2023") == pytest.approx(304.8)
