"""The scores of hand-worked scenarios (scenarios/scoring.yaml), from the ledger's records."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from esgledger.ledger.reads.records import RecordView
from esgledger.materiality.model import load_method
from esgledger.materiality.scoring import score_responses
from esgledger.materiality.survey import Answer, response_payload

SCENARIOS = yaml.safe_load((Path(__file__).parent / "scenarios" / "scoring.yaml").read_text())


def as_records(responses: list[dict]) -> list[RecordView]:
    """The scenario's responses as the register holds them (one record per answer)."""
    records = []
    for number, response in enumerate(responses):
        answers = [
            Answer(topic, dim, score)
            for topic, ratings in response["ratings"].items()
            for dim, score in ratings.items()
        ]
        payload = response_payload(2024, response["group"], answers)
        records.append(
            RecordView("materiality.responses", f"r{number}", 1, None, payload, False,
                       "survey", datetime.now(UTC), None, number)
        )  # fmt: skip
    return records


@pytest.mark.parametrize("case", SCENARIOS["cases"], ids=lambda c: c["name"])
def test_hand_worked_scores(case):
    scores = {
        r["topic"]: r
        for r in score_responses(as_records(case["responses"]), load_method()).to_dicts()
    }
    assert set(scores) == set(case["expected"])
    for topic, expected in case["expected"].items():
        got = scores[topic]
        for part in ("impact", "financial"):
            if expected[part] is None:
                assert got[part] is None, (topic, part)
            else:
                assert got[part] == pytest.approx(expected[part], abs=1e-6), (topic, part)
        assert got["responses"] == expected["responses"]
        assert got["tier"] == expected["tier"]


def test_every_scenario_cites_its_source():
    assert "GRI 3" in SCENARIOS["source"] and "ESRS 1" in SCENARIOS["source"]
