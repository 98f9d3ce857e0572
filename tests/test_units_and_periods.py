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


def test_gas_volumes_convert_between_reference_conditions_by_the_ideal_gas_law():
    # Same p, T 20 °C vs 0 °C: n = pV/RT, so 1 Sm3 = 273.15 / 293.15 Nm3 = 0.931776 Nm3
    assert conversion_factor("Sm3", "Nm3") == pytest.approx(273.15 / 293.15, rel=1e-12)
    # 1 scf (60 °F = 288.7056 K, 14.696 psia = 101.3250 kPa, 1 ft3 = 0.0283168 m3):
    # 0.0283168 x (273.15 / 288.7056) x (101.3250 / 101.325) = 0.0267912 Nm3
    assert conversion_factor("scf", "Nm3") == pytest.approx(0.0267912, rel=1e-5)
    assert conversion_factor("10^4 Nm3", "Nm3") == pytest.approx(10_000)


@pytest.mark.parametrize("geometric", ["m3", "ft3", "cubic_foot", "10^4 m3", "L"])
def test_a_gas_volume_without_reference_conditions_is_refused_naming_the_bases(geometric):
    with pytest.raises(UnitError) as caught:
        conversion_factor(geometric, "Nm3")
    assert "needs its reference conditions" in str(caught.value)
    assert "Nm3 (0 °C, 101.325 kPa)" in str(caught.value) and "Sm3 (20 °C" in str(caught.value)


def test_a_period_that_cannot_be_read_says_so_in_chinese_too():
    with pytest.raises(PeriodError) as raised:
        Period.parse("2024-13")
    assert raised.value.render("zh") == (
        "'2024-13' 不是期间；请填写年度（2024）、月份（2024-03）或季度（2024-Q1）"
    )
    assert "is not a period" in raised.value.render("en")


def test_the_registry_reads_its_definitions_back_from_the_disk_cache(tmp_path):
    esgledger.units.build_registry(str(tmp_path))
    assert list(tmp_path.glob("*.pickle")), "the first build writes the parsed definitions"
    cached = esgledger.units.build_registry(str(tmp_path))
    assert cached("1 tce").to("GJ").magnitude == pytest.approx(29.307)


def test_a_damaged_unit_cache_falls_back_to_parsing_the_definitions(tmp_path):
    """A cache file half written by another process must not stop a command."""
    esgledger.units.build_registry(str(tmp_path))
    for cached in tmp_path.glob("*.pickle"):
        cached.write_bytes(cached.read_bytes()[:40])
    registry = esgledger.units.build_registry(str(tmp_path))
    assert registry("1 wan_tce").to("tce").magnitude == pytest.approx(1e4)
