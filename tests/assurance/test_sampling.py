"""Sampling: seeded random draws repeat, MUS matches hand-worked cases, risk picks flags."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
import yaml

from esgledger.assurance import sampling
from esgledger.assurance.sampling import mus_sample, mus_sample_size, random_sample, risk_sample
from esgledger.errors import EsgError

SCENARIOS = yaml.safe_load((Path(__file__).parent / "scenarios" / "mus.yaml").read_text())


def population(magnitudes: list[float | None]) -> pl.DataFrame:
    """Rows already in the sampling order (entity E, indicator I, periods 2024-01 ...)."""
    count = len(magnitudes)
    return pl.DataFrame(
        {
            "entity": ["E"] * count,
            "indicator": ["I"] * count,
            "period": [f"2024-{month:02d}" for month in range(1, count + 1)],
            "revision_id": list(range(1, count + 1)),
            "magnitude": magnitudes,
        },
        schema_overrides={"magnitude": pl.Float64},
    )


@pytest.mark.parametrize("case", SCENARIOS, ids=[case["name"] for case in SCENARIOS])
def test_mus_selects_the_hand_worked_items(case: dict) -> None:
    frame = population(case["magnitudes"])
    drawn = mus_sample(frame, case["size"], seed=0, random_start=case["random_start"])
    assert drawn.interval == pytest.approx(case["interval"])
    assert [rid - 1 for rid in drawn.items["revision_id"]] == case["selected"]
    assert drawn.items["hits"].to_list() == case["hits"]
    assert drawn.notes["left_out"] == case.get("left_out", 0)


def test_mus_from_a_seed_draws_its_start_in_the_first_interval_and_repeats() -> None:
    frame = population([100, 50, 300, 25, 525])
    first, again = mus_sample(frame, 4, seed=7), mus_sample(frame, 4, seed=7)
    assert 0 <= first.random_start < 250
    assert first.random_start == again.random_start
    assert first.items.equals(again.items)


def test_mus_sample_size_follows_the_aicpa_factors() -> None:
    # 95 % confidence, no expected misstatement: n = 1,000,000 x 3.00 / 50,000 = 60
    assert mus_sample_size(1_000_000, 50_000, 0.95) == 60
    # 90 %, expected 10,000: n = 1,000,000 x 2.31 / (50,000 - 10,000 x 1.5) = 66
    assert mus_sample_size(1_000_000, 50_000, 0.90, 10_000) == 66
    with pytest.raises(EsgError) as caught:
        mus_sample_size(1_000_000, 10_000, 0.95, 10_000)
    assert caught.value.code == "workpaper.tolerable"


def test_a_random_sample_repeats_from_its_seed_whatever_the_row_order() -> None:
    frame = population(list(range(1, 41)))
    first = random_sample(frame, 8, seed=2024)
    shuffled = random_sample(frame.sample(fraction=1.0, shuffle=True, seed=1), 8, seed=2024)
    other = random_sample(frame, 8, seed=2025)
    assert first.items["revision_id"].to_list() == shuffled.items["revision_id"].to_list()
    assert first.items["revision_id"].to_list() != other.items["revision_id"].to_list()
    assert first.items.height == 8 and first.items["revision_id"].n_unique() == 8


def test_a_risk_sample_takes_the_highest_scores_and_only_flagged_values() -> None:
    frame = population([1, 2, 3, 4]).with_columns(
        plausibility=pl.Series([False, True, False, False]),
        yoy_change=pl.Series([False, True, True, False]),
        late_revision=pl.Series([False, False, False, True]),
        restated=pl.Series([False, False, False, False]),
        no_evidence=pl.Series([False, False, False, False]),
    )
    drawn = risk_sample(frame, 10, seed=1)
    # scores: item 2 = 3 + 2 = 5, item 3 = 2, item 4 = 2 (weights in data/sampling.yaml)
    assert drawn.items["revision_id"].to_list()[0] == 2
    assert sorted(drawn.items["revision_id"].to_list()) == [2, 3, 4]
    assert drawn.items["reason"].to_list()[0] == "plausibility,yoy_change"
    assert drawn.notes["flagged"] == 3


def test_the_risk_weights_are_the_cited_data() -> None:
    weights = sampling.parameters()["risk"]["weights"]
    assert set(weights) == set(sampling.RISK_FLAGS)
    assert "AICPA" in sampling.parameters()["sources"]["aicpa"]
