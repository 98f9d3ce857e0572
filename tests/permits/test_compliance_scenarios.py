"""Compliance rates against hand-worked scenarios (scenarios/compliance.yaml)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from sqlalchemy import Engine

from esgledger.ledger.database import unit_of_work
from esgledger.permits import discharge_summary
from esgledger.permits.model import LimitIn, OutletIn, PermitIn, ResultIn
from esgledger.permits.register import save_outlets, save_permits
from esgledger.permits.results import list_exceedances, record_results
from tests.permits.conftest import MANAGER, SITES

CASES = yaml.safe_load((Path(__file__).parent / "scenarios" / "compliance.yaml").read_text("utf-8"))


def load_case(session, case: dict) -> None:
    """Write the case's permits, outlets and results as a user would, in 2024."""
    for entry in case["permits"]:
        permit = PermitIn(
            number=entry["number"],
            entity=entry["entity"],
            authority="Test bureau",
            valid_from=date(2023, 1, 1),
            valid_to=date(2027, 12, 31),
        )
        save_permits(session, MANAGER, [permit], SITES)
        limits = [LimitIn(**limit) for limit in entry["limits"]]
        outlet = OutletIn(
            permit=entry["number"], code=entry["outlet"], medium=entry["medium"], limits=limits
        )
        save_outlets(session, MANAGER, [outlet])
    start = datetime(2024, 1, 1, 8, 0)
    results = [
        ResultIn(outlet=o, pollutant=p, value=v, unit=u, sampled_at=start + timedelta(days=i))
        for i, (o, p, v, u) in enumerate(case["results"])
    ]
    record_results(session, MANAGER, results)


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_compliance_rates_match_the_hand_worked_figures(ledger: Engine, case: dict) -> None:
    with unit_of_work(ledger) as session:
        load_case(session, case)
    with unit_of_work(ledger) as session:
        summary = discharge_summary(session, 2024)
        opened = list_exceedances(session, MANAGER)
    expected = case["expected"]
    by_pollutant = {
        row["pollutant"]: [row["results"], row["within_limits"]] for row in summary.by_pollutant
    }
    assert by_pollutant == expected["pollutant"]
    by_site = {row["entity"]: [row["results"], row["within_limits"]] for row in summary.by_site}
    assert by_site == expected["site"]
    assert [summary.group["results"], summary.group["within_limits"]] == expected["group"]
    assert summary.group["rate"] == pytest.approx(expected["rate"], abs=1e-9)
    assert len(opened) == expected["exceedances"]
