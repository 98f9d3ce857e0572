"""A figure taken out of the results keeps its unit, period and estimated share."""

from __future__ import annotations

import math

import pytest

from esgledger.engine.result_value import ResultValue
from esgledger.units import UnitError, ureg
from tests.engine.harness import run_case

DIESEL = {
    "name": "t",
    "period": 2024,
    "entities": [{"code": "G", "kind": "group"}],
    "input": {"G": {"energy.diesel": 10}},
}


def test_a_result_carries_the_catalog_unit_of_its_indicator(tmp_path):
    results = run_case(DIESEL, tmp_path)
    figure = results.result("energy.diesel", "G", "2024")
    assert (figure.value, figure.unit, figure.period, figure.code) == (10.0, "t", "2024", "G")
    assert figure.value == results.value("energy.diesel", "G", "2024")
    assert figure.estimated_share == 0.0 and figure.reported


def test_a_figure_nobody_reported_is_not_reported(tmp_path):
    figure = run_case(DIESEL, tmp_path).result("energy.gasoline", "G", "2024")
    assert math.isnan(figure.value) and not figure.reported


def test_a_figure_converts_through_the_project_units():
    figure = ResultValue("energy.total", "group", "2024", 2.5, "10^4 tce", 0.25)
    converted = figure.to("tce")
    assert converted.value == pytest.approx(25_000.0)
    assert (converted.unit, converted.estimated_share) == ("tce", 0.25)
    assert figure.quantity().to(ureg.tce).magnitude == pytest.approx(25_000.0)


def test_a_figure_refuses_a_unit_of_another_dimension():
    with pytest.raises(UnitError):
        ResultValue("energy.diesel", "G", "2024", 10.0, "t", 0.0).to("MWh")
