"""Bad input is refused with a clear message in both languages, and nothing is written."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import Engine

from esgledger.errors import EsgError
from esgledger.ledger.database import unit_of_work
from esgledger.ledger.reads.records import current_records
from esgledger.permits.model import LimitIn, OutletIn, PermitIn, ResultIn
from esgledger.permits.register import OUTLETS, PERMITS, RESULTS, save_outlets, save_permits
from esgledger.permits.results import record_results
from tests.permits.conftest import MANAGER, REPORTER, SITES


def permit(number: str = "P1", entity: str = "SMELT", **dates: date) -> PermitIn:
    return PermitIn(
        number=number,
        entity=entity,
        authority="Baotou Ecology and Environment Bureau",
        valid_from=dates.get("start", date(2023, 1, 1)),
        valid_to=dates.get("end", date(2027, 12, 31)),
    )


def cod_outlet(**limit: object) -> OutletIn:
    fields = {"pollutant": "cod", "max": 70, "unit": "mg/L", **limit}
    return OutletIn(permit="P1", code="DW001", medium="water", limits=[LimitIn(**fields)])


def refused(call) -> EsgError:
    with pytest.raises(EsgError) as caught:
        call()
    error = caught.value
    assert error.text("en") and error.text("zh") != error.text("en")
    return error


def test_a_validity_that_ends_before_it_starts_is_refused(ledger: Engine) -> None:
    with unit_of_work(ledger) as session:
        bad = permit(start=date(2025, 1, 1), end=date(2024, 12, 31))
        error = refused(lambda: save_permits(session, MANAGER, [permit("P0"), bad], SITES))
        assert error.code == "permit.validity_backwards"
        assert "2024-12-31" in error.text("zh") and "早于" in error.text("zh")
        assert current_records(session, PERMITS) == []


def test_a_mass_limit_in_a_concentration_unit_is_refused(ledger: Engine) -> None:
    with unit_of_work(ledger) as session:
        save_permits(session, MANAGER, [permit()], SITES)
        bad = cod_outlet(mass_limit=12.5, mass_unit="mg/L")
        error = refused(lambda: save_outlets(session, MANAGER, [bad]))
        assert error.code == "permit.mass_unit"
        assert "mg/L" in error.text("en") and "t/a" in error.text("en")
        assert current_records(session, OUTLETS) == []


def test_a_concentration_limit_in_a_mass_unit_is_refused(ledger: Engine) -> None:
    with unit_of_work(ledger) as session:
        save_permits(session, MANAGER, [permit()], SITES)
        error = refused(lambda: save_outlets(session, MANAGER, [cod_outlet(unit="t/a")]))
        assert error.code == "permit.concentration_unit"


def test_a_water_pollutant_on_a_stack_is_refused(ledger: Engine) -> None:
    with unit_of_work(ledger) as session:
        save_permits(session, MANAGER, [permit()], SITES)
        stack = OutletIn(
            permit="P1",
            code="DA001",
            medium="air",
            limits=[LimitIn(pollutant="cod", max=70, unit="mg/L")],
        )
        assert (
            refused(lambda: save_outlets(session, MANAGER, [stack])).code == "permit.wrong_medium"
        )


def test_results_for_an_unknown_outlet_or_pollutant_write_nothing(ledger: Engine) -> None:
    with unit_of_work(ledger) as session:
        save_permits(session, MANAGER, [permit()], SITES)
        save_outlets(session, MANAGER, [cod_outlet()])
        good = ResultIn(
            outlet="P1/DW001",
            pollutant="cod",
            value=20,
            unit="mg/L",
            sampled_at=datetime(2024, 3, 1),
        )
        unknown_outlet = good.model_copy(update={"outlet": "P1/DW009"})
        unknown_pollutant = good.model_copy(update={"pollutant": "codd"})
        unlimited = good.model_copy(update={"pollutant": "nh3n"})
        for bad, code in (
            (unknown_outlet, "permit.unknown_outlet"),
            (unknown_pollutant, "permit.unknown_pollutant"),
            (unlimited, "permit.pollutant_not_limited"),
        ):
            error = refused(lambda bad=bad: record_results(session, MANAGER, [good, bad]))
            assert error.code == code
        assert current_records(session, RESULTS) == []


def test_a_reporter_cannot_record_a_permit_of_another_site(ledger: Engine) -> None:
    with unit_of_work(ledger) as session:
        error = refused(lambda: save_permits(session, REPORTER, [permit(entity="METAL")], SITES))
        assert error.code == "permit.unknown_site"
        assert current_records(session, PERMITS) == []
