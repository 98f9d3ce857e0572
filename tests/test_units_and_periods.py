"""The unit registry and the period type, with hand-checked conversions."""

from __future__ import annotations

import doctest

import pytest

import esgledger.periods
import esgledger.units
from esgledger.periods import Period, PeriodError
from esgledger.units import UnitError, conversion_factor


@pytest.mark.parametrize("module", [esgledger.units, esgledger.periods])
def test_docstring_examples_hold(module):
    assert doctest.testmod(module).failed == 0


@pytest.mark.parametrize(
    ("source", "target", "factor"),
    [
        ("kWh", "MWh", 0.001),
        ("10^4 m3", "m3", 10_000),
        ("ML", "m3", 1_000),
        ("kgce", "tce", 0.001),
        ("kg", "t", 0.001),
        ("万元", "CNY", 10_000),
        ("tCO2", "tCO2e", 1),
        ("kgce/tREO", "tce/tREO", 0.001),
        ("%", "dimensionless", 0.01),
        # GB/T 2589-2020 3.7: 1 kgce = 29 307 kJ, so 1 tce = 29.307 GJ.
        ("tce", "GJ", 29.307),
    ],
)
def test_conversions_match_hand_worked_factors(source, target, factor):
    assert conversion_factor(source, target) == pytest.approx(factor, rel=1e-12)


def test_tonnes_of_product_are_not_tonnes_of_reo():
    with pytest.raises(UnitError, match="cannot be converted"):
        conversion_factor("t", "tREO")


def test_unknown_units_name_what_to_write():
    with pytest.raises(UnitError, match="unknown unit 'bananas'"):
        conversion_factor("bananas", "t")


def test_periods_parse_and_contain():
    year, month = Period.parse("2024"), Period.parse("2024-12")
    assert year.contains(month) and not month.contains(year)
    assert str(Period.parse("2024.0")) == "2024"
    with pytest.raises(PeriodError, match="write a year"):
        Period.parse("2024-13")
