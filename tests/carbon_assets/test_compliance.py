"""Holdings and the compliance gap per year, against figures worked by hand.

Offset limit: MEE Order No. 19 (2020) Art. 29, CCER up to 5 % of the allowances due.
SMELT 2024: verified 120,000 tCO2; allocated 110,000 CEA, bought 4,000, surrendered 100,000;
bought and surrendered 8,000 CCER. Limit 0.05 × 120,000 = 6,000 counted, 2,000 over it;
gap 120,000 − 100,000 − 6,000 = 14,000; CEA held 110,000 + 4,000 − 100,000 = 14,000, so
nothing to buy. METAL 2024: verified 50,000; allocated and surrendered 45,000; gap 5,000,
held 0: 5,000 to buy.
"""

from __future__ import annotations

import pytest

from esgledger.carbon_assets.compliance import compliance_gap, holdings
from esgledger.carbon_assets.register import MOVEMENTS, VERIFIED
from esgledger.errors import EsgError
from esgledger.ledger.database import unit_of_work
from esgledger.ledger.reads.records import current_records
from esgledger.ledger.verify import verify_ledger
from tests.carbon_assets.conftest import REPORTER, move, save, verified


def book(ledger):
    save(
        ledger,
        move("A-S-24", "SMELT", "cea", "allocation", 110_000, compliance_year=2024),
        move("P-S-1", "SMELT", "cea", "purchase", 4_000),
        move("C-S-1", "SMELT", "ccer", "purchase", 8_000),
        move("SUR-S-24", "SMELT", "cea", "surrender", 100_000, compliance_year=2024),
        move("SUR-SC-24", "SMELT", "ccer", "surrender", 8_000, compliance_year=2024),
        move("A-M-24", "METAL", "cea", "allocation", 45_000, compliance_year=2024),
        move("SUR-M-24", "METAL", "cea", "surrender", 45_000, compliance_year=2024),
    )
    verified(ledger, ("SMELT", 2024, 120_000), ("METAL", 2024, 50_000))


def gap_rows(ledger):
    with unit_of_work(ledger) as session:
        frame = compliance_gap(
            current_records(session, MOVEMENTS), current_records(session, VERIFIED)
        )
    return {row["entity"]: row for row in frame.iter_rows(named=True)}


def test_the_compliance_gap_matches_the_hand_worked_figures(ledger):
    book(ledger)
    rows = gap_rows(ledger)
    smelt, metal = rows["SMELT"], rows["METAL"]
    assert (smelt["due"], smelt["ccer_limit"], smelt["ccer_counted"]) == (120_000, 6_000, 6_000)
    assert (smelt["ccer_over_limit"], smelt["gap"], smelt["cea_held"], smelt["to_buy"]) == (
        2_000, 14_000, 14_000, 0,
    )  # fmt: skip
    assert (metal["gap"], metal["cea_held"], metal["to_buy"]) == (5_000, 0, 5_000)


def test_holdings_net_inflows_and_outflows(ledger):
    book(ledger)
    with unit_of_work(ledger) as session:
        frame = holdings(current_records(session, MOVEMENTS))
    held = {(r["entity"], r["instrument"]): r["held"] for r in frame.iter_rows(named=True)}
    assert held == {("METAL", "cea"): 0, ("SMELT", "ccer"): 0, ("SMELT", "cea"): 14_000}


def test_a_surrender_beyond_holdings_is_refused_and_writes_nothing(ledger):
    save(ledger, move("A-1", "SMELT", "cea", "allocation", 100, compliance_year=2024))
    with pytest.raises(EsgError) as raised:
        save(
            ledger,
            move("S-1", "SMELT", "cea", "sale", 60),
            move("S-2", "SMELT", "cea", "surrender", 50, compliance_year=2024),
        )
    assert raised.value.code == "carbon_asset.overdrawn"
    assert "holds 40.0 of cea, less than the 50.0" in raised.value.message
    with unit_of_work(ledger) as session:
        assert [r.key for r in current_records(session, MOVEMENTS)] == ["A-1"]


def test_a_movement_reference_is_used_once(ledger):
    save(ledger, move("A-1", "SMELT", "cea", "allocation", 100, compliance_year=2024))
    with pytest.raises(EsgError, match="already holds a record 'A-1'"):
        save(ledger, move("A-1", "SMELT", "cea", "purchase", 5))


def test_a_movement_the_instrument_does_not_have_is_refused(ledger):
    with pytest.raises(EsgError) as raised:
        save(ledger, move("X", "SMELT", "ccer", "allocation", 5, compliance_year=2024))
    assert raised.value.code == "carbon_asset.kind_not_allowed"
    with pytest.raises(EsgError) as raised:
        save(ledger, move("Y", "SMELT", "cea", "surrender", 5))
    assert raised.value.code == "carbon_asset.year_needed"


def test_a_reporter_works_on_its_own_sites_only(ledger):
    with pytest.raises(EsgError) as raised:
        save(ledger, move("P-M", "METAL", "cea", "purchase", 5), principal=REPORTER)
    assert raised.value.code == "carbon_asset.unknown_site"
    save(ledger, move("P-S", "SMELT", "cea", "purchase", 5), principal=REPORTER)


def test_the_register_is_sealed_by_the_audit_log(ledger):
    book(ledger)
    with unit_of_work(ledger) as session:
        assert verify_ledger(session).ok
