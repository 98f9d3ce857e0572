"""An exceedance is opened by a result over its limit and goes cause -> corrected -> closed."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import Engine

from esgledger.errors import EsgError
from esgledger.ledger.database import unit_of_work
from esgledger.ledger.reads.records import record_history
from esgledger.ledger.verify import verify_ledger
from esgledger.permits import expiring_permits
from esgledger.permits.model import ResultIn
from esgledger.permits.register import EXCEEDANCES, save_outlets, save_permits
from esgledger.permits.results import advance_exceedance, list_exceedances, record_results
from tests.permits.conftest import MANAGER, REPORTER, SITES
from tests.permits.test_bad_input import cod_outlet, permit


def over_limit(session) -> str:
    save_permits(session, MANAGER, [permit()], SITES)
    save_outlets(session, MANAGER, [cod_outlet()])
    result = ResultIn(
        outlet="P1/DW001",
        pollutant="cod",
        value=85,
        unit="mg/L",
        sampled_at=datetime(2024, 5, 2, 9, 30),
        method="online",
    )
    return record_results(session, MANAGER, [result])[0]


def test_an_exceedance_walks_from_open_to_closed_with_its_history(ledger: Engine) -> None:
    with unit_of_work(ledger) as session:
        key = over_limit(session)
        assert list_exceedances(session, REPORTER)[0].payload["status"] == "open"
        advance_exceedance(session, REPORTER, key, "cause", "Ammonia stripping tower fouled")
        advance_exceedance(session, MANAGER, key, "correct", "Tower cleaned; dosing raised")
        closed = advance_exceedance(session, MANAGER, key, "close")
        history = record_history(session, EXCEEDANCES, key)
    assert closed.payload["status"] == "closed"
    assert closed.payload["cause"] == "Ammonia stripping tower fouled"
    assert [v.payload["status"] for v in history] == [
        "open",
        "cause_recorded",
        "corrected",
        "closed",
    ]
    assert [v.author for v in history] == ["manager", "reporter", "manager", "manager"]


def test_steps_out_of_order_or_without_text_are_refused(ledger: Engine) -> None:
    with unit_of_work(ledger) as session:
        key = over_limit(session)
        with pytest.raises(EsgError) as caught:
            advance_exceedance(session, MANAGER, key, "close")
        assert caught.value.code == "permit.step_out_of_order"
        with pytest.raises(EsgError) as caught:
            advance_exceedance(session, MANAGER, key, "cause", "   ")
        assert caught.value.code == "permit.cause_missing"
        assert len(record_history(session, EXCEEDANCES, key)) == 1


def test_the_register_writes_are_sealed_in_the_audit_log(ledger: Engine) -> None:
    with unit_of_work(ledger) as session:
        over_limit(session)
    with unit_of_work(ledger) as session:
        assert verify_ledger(session).ok


def test_permits_expiring_within_the_warning_window_are_listed(ledger: Engine) -> None:
    with unit_of_work(ledger) as session:
        save_permits(
            session,
            MANAGER,
            [permit("SOON", end=date(2025, 3, 1)), permit("LATER", end=date(2027, 1, 1))],
            SITES,
        )
        soon = expiring_permits(session, date(2025, 1, 1))
        none = expiring_permits(session, date(2025, 1, 1), days=30)
    assert soon["number"].to_list() == ["SOON"] and soon["days_left"].to_list() == [59]
    assert none.is_empty()


def test_a_result_recorded_again_keeps_its_one_exceedance(ledger: Engine) -> None:
    with unit_of_work(ledger) as session:
        key = over_limit(session)
        again = ResultIn(
            outlet="P1/DW001",
            pollutant="cod",
            value=86,
            unit="mg/L",
            sampled_at=datetime(2024, 5, 2, 9, 30),
            method="online",
        )
        assert record_results(session, MANAGER, [again]) == []
        assert [e.key for e in list_exceedances(session, MANAGER)] == [key]
