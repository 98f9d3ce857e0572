"""Hazard rates and LTIFR from registers, against hand-worked cases (scenarios/rates.yaml)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import yaml

from esgledger.ledger.reads.records import RecordView
from esgledger.safety.rates import correction_rate, definitions, hazard_counts, incident_counts
from esgledger.safety.reconcile import ltifr_rate

CASES = yaml.safe_load((Path(__file__).parent / "scenarios" / "rates.yaml").read_text("utf-8"))
HAZARD_CASES = [case for case in CASES if "hazards" in case]
LTIFR_CASES = [case for case in CASES if "hours_worked" in case]


def view(key: str, entity: str, payload: dict) -> RecordView:
    return RecordView("safety.x", key, 1, entity, payload, False, "t", datetime.now(UTC), None, 0)


@pytest.mark.parametrize("case", HAZARD_CASES, ids=[c["name"] for c in HAZARD_CASES])
def test_hazard_rates_by_hand(case):
    records = [
        view(f"H{i}", h.pop("site"), {"rectified_on": None, "closed_on": None, **h})
        for i, h in enumerate(case["hazards"])
    ]
    counts = hazard_counts(records, case["year"], date.fromisoformat(case["as_of"]))
    total = counts.drop("entity").sum().row(0, named=True)
    expected = case["expected"]
    assert {k: total[k] for k in ("found", "major_found", "corrected", "overdue")} == {
        k: expected[k] for k in ("found", "major_found", "corrected", "overdue")
    }
    assert correction_rate(total["found"], total["corrected"]) == pytest.approx(
        expected["correction_rate"], abs=1e-6
    )


@pytest.mark.parametrize("case", LTIFR_CASES, ids=[c["name"] for c in LTIFR_CASES])
def test_ltifr_on_both_bases_by_hand(case):
    bases = definitions()["lost_time_injury_frequency"]
    got = {
        "per_million_hours": ltifr_rate(
            case["lost_time_injured"], case["hours_worked"], bases["per_million_hours"]
        ),
        "per_thousand_employees": ltifr_rate(
            case["lost_time_injured"], case["headcount"], bases["per_thousand_employees"]
        ),
    }
    assert got == pytest.approx(case["expected"], abs=1e-6)


def test_only_injuries_with_a_lost_day_are_lost_time():
    records = [
        view(
            "I1",
            "SMELT",
            {
                "occurred_on": "2024-02-01",
                "injured": 2,
                "lost_days": 30,
                "significant": False,
                "fatalities": 0,
            },
        ),
        view(
            "I2",
            "SMELT",
            {
                "occurred_on": "2024-03-01",
                "injured": 1,
                "lost_days": 0,
                "significant": False,
                "fatalities": 0,
            },
        ),
        view(
            "I3",
            "SMELT",
            {
                "occurred_on": "2023-03-01",
                "injured": 5,
                "lost_days": 10,
                "significant": True,
                "fatalities": 0,
            },
        ),
    ]
    row = incident_counts(records, 2024).row(0, named=True)
    assert (row["lost_time_injured"], row["lost_days"], row["significant_incidents"]) == (2, 30, 0)


def test_no_hazards_found_has_no_rate():
    assert correction_rate(0, 0) is None
