"""A user factor far outside every shipped value of its key, in their unit, is noted (a unit
slip such as tCO2e/kWh for kgCO2e/kWh multiplies a result by 1,000); it is not refused,
since a plant's own factor may differ."""

from __future__ import annotations

import pytest

from esgledger.errors import Problem
from esgledger.factors import load_factor_sets, scale_notes

HEADER = """\
name: plant
title: Factors of the smelter
version: "2024"
source: Supplier statement 2024
factors:
"""


def notes_for(write, *factors: str) -> list[Problem]:
    lines = "".join(f"  - {{{factor}, confidence: M}}\n" for factor in factors)
    return scale_notes(load_factor_sets([write("plant.yaml", HEADER + lines)]))


def test_a_grid_factor_in_tonnes_per_kwh_is_noted_with_the_largest_shipped_value(write):
    (note,) = map(str, notes_for(write, "key: grid.electricity, value: 0.52, unit: tCO2e/kWh"))
    assert "line 6, column 'value' (value '0.52 tCO2e/kWh')" in note
    assert (
        "grid.electricity = 520 tCO2/MWh in these units is 658 times the largest shipped "
        "value (0.7901 tCO2/MWh, cn_grid_mee). Check the unit (kg vs t, kWh vs MWh)"
    ) in note


def test_a_factor_far_outside_the_shipped_values_is_noted_in_chinese(write):
    (note,) = notes_for(write, "key: grid.electricity, value: 0.52, unit: tCO2e/kWh")
    assert note.code == "factor.check.outside"
    assert (
        "grid.electricity 换算后为 520 tCO2/MWh，是最大内置取值的 658 倍"
        "（0.7901 tCO2/MWh，cn_grid_mee）。请检查单位"
    ) in note.render("zh")


def test_a_value_far_below_every_shipped_one_is_noted_with_the_smallest(write):
    (note,) = map(str, notes_for(write, "key: grid.electricity, value: 0.52, unit: gCO2/kWh"))
    assert (
        "grid.electricity = 0.00052 tCO2/MWh in these units is 1/206 of the smallest shipped "
        "value (0.1073 tCO2/MWh, cn_grid_mee)"
    ) in note


@pytest.mark.parametrize(
    "factor",
    [
        "key: grid.electricity, value: 0.9, unit: tCO2/MWh",  # above the range, within 10x
        "key: grid.electricity, value: 520, unit: kgCO2e/MWh",  # another unit of the same kind
        "key: grid.electricity, value: 0, unit: tCO2/MWh",  # a zero-carbon supply contract
        "key: ncv.natural_gas, value: 38.9, unit: MJ/m3",  # compared with the per-volume values
        "key: ncv.natural_gas, value: 50.0, unit: GJ/t",  # compared with the per-mass values
        "key: ncv.natural_gas, value: 38.9, unit: kWh",  # another kind: the engine refuses it
        "key: plant.own_metric, value: 1e9, unit: t, new_key: true",  # no shipped value
    ],
)
def test_values_within_ten_times_the_shipped_range_or_not_comparable_are_not_noted(write, factor):
    assert notes_for(write, factor) == []


def test_each_factor_outside_the_range_gets_its_own_note(write):
    slip = "key: grid.electricity, value: 0.52, unit: tCO2e/kWh"
    diesel = "key: ncv.diesel, value: 42652, unit: GJ/t"
    notes = notes_for(write, slip, f"{slip}, region: north", diesel)
    assert [note.location.line for note in notes] == [6, 7, 8]
    assert "ncv.diesel = 42,652 TJ/Gg in these units is 992 times the largest" in str(notes[2])
