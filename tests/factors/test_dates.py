"""Dates in factor files: written YYYY-MM-DD, a bad one reported at its line or cell like any
other bad value, and ``valid_to`` the first day a value no longer holds, so a last day of a
month (``2024-12-31`` for "through 2024") is refused with the date meant."""

from __future__ import annotations

from datetime import date

import pytest

from esgledger.errors import ErrorKind
from esgledger.factors import (
    FactorFileError,
    FactorNotFoundError,
    load_factor_sets,
    read_factor_file,
)

HEADER = """\
name: plant_grid
title: Grid factor of the smelter's supplier
version: "2024"
source: Supplier statement 2024
factors:
"""
CSV_HEAD = "dataset,title,version,source,key,value,unit,confidence,valid_from,valid_to\n"
CSV_ROW = "plant,Plant factors,1,Supplier statement,grid.electricity,0.52,tCO2/MWh,T,{},{}\n"


def grid(valid_from: str = "2024-01-01", valid_to: str | None = None) -> str:
    lines = [
        "  - key: grid.electricity",
        "    value: 0.52",
        "    unit: tCO2/MWh",
        "    region: north",
        f"    valid_from: {valid_from}",
        *([f"    valid_to: {valid_to}"] if valid_to else []),
        "    confidence: T",
    ]
    return "\n".join(lines) + "\n"


def refused(path) -> str:
    with pytest.raises(FactorFileError) as caught:
        load_factor_sets([path])
    assert caught.value.kind is ErrorKind.USER
    return str(caught.value)


@pytest.mark.parametrize(
    ("written", "why"),
    [
        ("2024-13-01", "2024-13-01 is not a date (month must be in 1..12)"),
        ("2024-02-30", "2024-02-30 is not a date (day is out of range for month)"),
        ("20240101", "20240101 is not a date written YYYY-MM-DD"),
    ],
)
def test_an_impossible_yaml_date_is_reported_at_its_line_not_as_a_traceback(write, written, why):
    path = write("bad.yaml", HEADER + grid(valid_from=written))
    text = refused(path)
    assert f"{path}, line 10, column 'valid_from' (value '{written}')" in text
    assert why in text and "as YYYY-MM-DD, such as 2024-01-01" in text


def test_an_impossible_csv_date_is_reported_at_its_row_and_column(write):
    path = write("bad.csv", CSV_HEAD + CSV_ROW.format("2024-13-01", ""))
    text = refused(path)
    assert f"{path}, row 2, column 'valid_from' (value '2024-13-01')" in text
    assert "2024-13-01 is not a date (month must be in 1..12)" in text


def test_yaml_dates_of_factors_and_defaults_are_read_as_dates(write):
    defaults = HEADER.replace("factors:", "defaults: {valid_from: 2023-01-01}\nfactors:")
    factor = "  - {key: ncv.diesel, value: 42.9, unit: GJ/t, confidence: V}\n"
    path = write("ok.yaml", defaults + grid(valid_to="2025-01-01") + factor)
    grid_factor, diesel = read_factor_file(path).factors
    assert (grid_factor.valid_from, grid_factor.valid_to) == (date(2024, 1, 1), date(2025, 1, 1))
    assert (diesel.valid_from, diesel.valid_to) == (date(2023, 1, 1), None)


def test_override_years_are_still_read_as_years(write):
    scoped = HEADER.replace("factors:", "overrides: {years: [2024]}\nfactors:")
    library = load_factor_sets([write("years.yaml", scoped + grid())])
    assert library.get("grid.electricity", on=date(2024, 12, 31), region="north").value == 0.52
    assert library.get("grid.electricity", on=date(2023, 12, 31), region="north").value == 0.6361


@pytest.mark.parametrize(
    ("written", "ends", "meant"),
    [
        ("2024-12-31", "30 December", "For a value through 2024 write 2025-01-01."),
        ("2024-06-30", "29 June", "For a value through June 2024 write 2024-07-01."),
        ("2024-02-29", "28 February", "For a value through February 2024 write 2024-03-01."),
    ],
)
def test_a_valid_to_on_the_last_day_of_a_month_is_refused_with_the_first_day_meant(
    write, written, ends, meant
):
    path = write("end.yaml", HEADER + grid(valid_to=written))
    text = refused(path)
    assert "1 problem(s)" in text
    assert f"{path}, line 11, column 'valid_to' (value '{written}')" in text
    assert (
        f"valid_to is the first day the value no longer holds; {written} would end it on {ends}. "
        f"{meant}"
    ) in text


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("2024-12-31", "会使其在 12 月 30 日结束。如取值适用至 2024 年（含），请写 2025-01-01"),
        ("2024-06-30", "会使其在 6 月 29 日结束。如取值适用至 2024 年 6 月（含），请写 2024-07-01"),
    ],
)
def test_a_last_day_valid_to_is_refused_in_chinese_with_the_first_day_meant(write, written, meant):
    path = write("end.yaml", HEADER + grid(valid_to=written))
    with pytest.raises(FactorFileError) as caught:
        load_factor_sets([path])
    (problem,) = caught.value.problems
    assert problem.code == "factor.value.exclusive_end"
    assert f"valid_to 是取值不再适用的第一天；{written} {meant}" in problem.render("zh")


def test_a_last_day_valid_to_in_a_csv_file_is_refused_at_its_cell(write):
    path = write("end.csv", CSV_HEAD + CSV_ROW.format("2024-01-01", "2024-12-31"))
    text = refused(path)
    assert f"{path}, row 2, column 'valid_to' (value '2024-12-31')" in text
    assert "would end it on 30 December. For a value through 2024 write 2025-01-01." in text


def test_a_last_day_valid_to_in_the_defaults_is_refused_once(write):
    defaults = HEADER.replace("factors:", "defaults: {valid_to: 2024-12-31}\nfactors:")
    text = refused(write("defaults.yaml", defaults + grid() + grid("2023-01-01")))
    assert "1 problem(s)" in text and "line 5, column 'defaults'" in text
    assert "For a value through 2024 write 2025-01-01." in text


def test_a_valid_to_within_a_month_is_accepted_as_the_first_day_that_no_longer_holds(write):
    library = load_factor_sets([write("mid.yaml", HEADER + grid(valid_to="2024-07-15"))])
    assert library.get("grid.electricity", on=date(2024, 7, 14), region="north").value == 0.52
    with pytest.raises(FactorNotFoundError, match="region north on 2024-07-15"):
        library.get("grid.electricity", on=date(2024, 7, 15), region="north")
