"""Status rules at their edges, with hand-written numbers (no ledger)."""

from __future__ import annotations

import pytest

from esgledger.targets import Status, Target
from esgledger.targets.status import assess, required_rate_pct, year_status


def target(**fields) -> Target:
    defaults = dict(
        id="t",
        name={"en": "t", "zh": "目标"},
        indicator="ghg.intensity_key_entities",
        scope="tag:key-entity",
        type="intensity_cap",
        target_year=2025,
        target_value=2.956,
        source="test",
    )
    return Target.model_validate({**defaults, **fields})


def test_exactly_on_a_cap_is_met():
    assert year_status(target(), 2025, 2.956, None).status is Status.MET


def test_exactly_on_a_computed_cap_is_met_despite_binary_noise():
    """0.1 + 0.2 is 0.30000000000000004 in binary; on target all the same."""
    cap = target(target_value=0.3)
    assert year_status(cap, 2025, 0.1 + 0.2, None).status is Status.MET


def test_exactly_on_a_strict_cap_is_missed():
    """LTIFR < 0.6 per mille: 0.6 itself does not meet it."""
    strict = target(
        indicator="safety.ltifr_per_1000",
        scope="group",
        target_value=0.6,
        strict=True,
        target_year=2024,
    )
    assert year_status(strict, 2024, 0.6, None).status is Status.MISSED
    assert year_status(strict, 2024, 0.5999, None).status is Status.MET


def test_exactly_on_a_floor_is_met_and_just_under_it_is_missed():
    floor = target(
        indicator="customer.satisfaction_rate",
        scope="group",
        type="floor",
        target_value=98.5,
        target_year=2024,
    )
    assert year_status(floor, 2024, 98.5, None).status is Status.MET
    assert year_status(floor, 2024, 98.49, None).status is Status.MISSED


def test_intensity_met_while_the_absolute_total_is_missed():
    """Output grows faster than emissions: 1,100 t over 400 tREO = 2.75 t/tREO meets the
    2.956 cap while 1,100 t misses an absolute cap of 1,000 t."""
    intensity, total = 1_100 / 400, 1_100.0
    absolute = target(
        indicator="ghg.scope12_total", scope="group", type="absolute_cap", target_value=1_000
    )
    assert year_status(target(), 2025, intensity, None).status is Status.MET
    assert year_status(absolute, 2025, total, None).status is Status.MISSED


def test_before_the_target_year_the_trajectory_decides():
    """Base 2022 = 4.0, target 2025 = 2.956: the straight line asks 3.652 in 2023 and
    3.304 in 2024 (a third and two thirds of the way: 4 - 1.044/3, 4 - 2 x 1.044/3)."""
    cap = target(base_year=2022)
    rows = assess(cap, {2022: 4.0, 2023: 3.652, 2024: 3.4}, base_value=4.0)
    assert [(r.year, r.status) for r in rows] == [
        (2022, Status.ON_TRACK),
        (2023, Status.ON_TRACK),  # exactly on the path
        (2024, Status.AT_RISK),  # 3.4 > 3.304
    ]
    assert rows[2].trajectory == pytest.approx(3.304)
    assert rows[2].gap == pytest.approx(3.4 - 2.956)


def test_a_target_reached_early_is_met_and_a_missing_year_is_no_data():
    cap = target(base_year=2022)
    rows = assess(cap, {2022: 4.0, 2024: 2.9}, base_value=4.0, years=[2022, 2023, 2024])
    assert [r.status for r in rows] == [Status.ON_TRACK, Status.NO_DATA, Status.MET]


def test_change_against_the_base_year():
    """-10 % against 2020's 200 tce: a cap of 180 in 2025; 2023 is 3/5 of the way, where
    the path asks 200 - 3/5 x 20 = 188, so 189 is at risk."""
    cut = target(
        indicator="energy.total",
        scope="group",
        type="change_vs_base",
        base_year=2020,
        target_value=-10,
    )
    rows = assess(cut, {2023: 189.0, 2025: 180.0}, base_value=200.0)
    assert rows[0].trajectory == pytest.approx(188.0)
    assert [r.status for r in rows] == [Status.AT_RISK, Status.MET]
    assert rows[1].threshold == pytest.approx(180.0)


def test_year_on_year_change_is_judged_on_each_year_against_the_one_before():
    """Energy intensity -6 % a year: 2023 -10 % (on track), 2024 -5 % (at risk),
    2025 -6 % exactly (met)."""
    yoy = target(indicator="energy.intensity_per_treo", type="change_yoy", target_value=-6)
    actuals = {2022: 1000.0, 2023: 900.0, 2024: 855.0, 2025: 803.7}
    rows = assess(yoy, actuals, base_value=None)
    assert [(r.year, r.status) for r in rows] == [
        (2023, Status.ON_TRACK),
        (2024, Status.AT_RISK),
        (2025, Status.MET),
    ]
    assert rows[1].value == pytest.approx(-5.0)


def test_required_rate_is_the_compound_yearly_change_still_needed():
    """From 3.369 in 2024 to 2.956 in 2025: -12.26 %; over two years from 100 to 81: -10 %."""
    assert required_rate_pct(2024, 3.369, 2.956, 2025) == pytest.approx(-12.259, abs=1e-3)
    assert required_rate_pct(2023, 100.0, 81.0, 2025) == pytest.approx(-10.0)
    assert required_rate_pct(2025, 3.0, 2.956, 2025) is None


def test_restated_base_applies_from_the_change_year_on():
    """Base 10 in 2022, target 8 in 2025; an acquisition in 2024 restates the base to 12.
    2023 is judged on the original line (10 - 2/3 = 9.333): 9.5 is at risk. 2024 is judged
    on the restated line (12 - 2 x 4/3 = 9.333): 9.3 is on track, though the original line
    (10 - 4/3 = 8.667) would have called it at risk."""
    cap = target(base_year=2022, target_value=8.0)
    rows = assess(cap, {2023: 9.5, 2024: 9.3}, 10.0, restated=(2024, 12.0))
    assert rows[0].trajectory == pytest.approx(10 - 2 / 3)
    assert rows[1].trajectory == pytest.approx(12 - 8 / 3)
    assert [r.status for r in rows] == [Status.AT_RISK, Status.ON_TRACK]
