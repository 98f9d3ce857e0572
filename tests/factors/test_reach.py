"""A user factor for a region nothing asks for is refused, one for a shipped region no entity
has is noted; an override year outside the ledger's calendar is noted. The caller passes the
organisation's grid regions and the ledger's years in: the factors package knows neither."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from esgledger.factors import (
    load_factor_sets,
    shipped_factor_sets,
    unknown_regions,
    unreported_year_notes,
    unused_region_notes,
)

HEADER = """\
name: plant_grid
title: Grid factors of the smelter's supplier
version: "2024"
source: Supplier statement 2024
overrides: {years: [2024, 2025]}
factors:
"""
CSV_HEAD = "dataset,title,version,source,years,key,value,unit,confidence,region\n"
CSV_FIRST = "plant,Plant factors,1,Plant meter 2024,2024;2026,grid.electricity,0.52,tCO2/MWh,V,"


def grid(region: str) -> str:
    return (
        f"  - key: grid.electricity\n    value: 0.52\n    unit: tCO2/MWh\n"
        f"    region: {region}\n    confidence: V\n"
    )


def test_a_misspelt_region_is_refused_at_its_line_with_the_region_meant(write):
    path = write("nrth.yaml", HEADER + grid("nrth"))
    problems = unknown_regions(load_factor_sets([path]), ["north"])
    assert [str(p.location) for p in problems] == [f"{path}, line 7, column 'region'"]
    text = str(problems[0])
    assert "(value 'nrth')" in text and "Did you mean 'north'?" in text
    assert "the shipped factor would be used instead" in text
    assert "the organisation's entities have north" in text
    assert "30 province codes CN-AH … CN-ZJ" in text


def test_a_misspelt_region_reads_in_chinese_with_the_region_meant(write):
    path = write("nrth.yaml", HEADER + grid("nrth"))
    (problem,) = unknown_regions(load_factor_sets([path]), ["north"])
    assert problem.code == "factor.reach.unknown_region"
    text = problem.render("zh")
    assert "地区 'nrth' 既不是组织架构中任何单位的电网区域" in text
    assert "您是否指 'north'？" in text and "（组织架构中的单位使用 north）" in text
    assert "30 个省级代码 CN-AH … CN-ZJ 之一" in text


@pytest.mark.parametrize(
    ("written", "meant"), [("North China", "north"), ("North", "north"), ("cn-nm", "CN-NM")]
)
def test_a_region_written_as_a_name_or_in_another_case_is_refused_with_the_code(
    write, written, meant
):
    path = write("named.yaml", HEADER + grid(f'"{written}"'))
    problems = unknown_regions(load_factor_sets([path]), ["north"])
    assert [p.value for p in problems] == [written]
    assert f"Did you mean '{meant}'?" in str(problems[0])


def test_a_bad_region_in_a_csv_file_names_its_row_and_column(write):
    path = write("region.csv", CSV_HEAD + CSV_FIRST + "north\n,,,,,ncv.diesel,42.9,GJ/t,V,nrth\n")
    problems = unknown_regions(load_factor_sets([path]), ["north"])
    assert [str(p.location) for p in problems] == [f"{path}, row 3, column 'region'"]


def test_one_bad_region_on_many_factors_is_one_problem_at_the_first(write):
    defaults = HEADER.replace("factors:\n", "defaults: {region: nrth}\nfactors:\n")
    factor = "  - {key: ncv.diesel, value: 42.9, unit: GJ/t, confidence: V}\n"
    path = write("defaults.yaml", defaults + factor + factor.replace("ncv.diesel", "ncv.petrol"))
    problems = unknown_regions(load_factor_sets([path]), [])
    assert [p.location.line for p in problems] == [8]
    assert "2 factors of this file give it; this is the first" in str(problems[0])


def test_shipped_regions_and_the_organisations_grid_regions_are_accepted(write):
    regions = ["north", "CN-NM", "plant_grid", "southwest"]
    path = write("ok.yaml", HEADER + "".join(grid(r) for r in regions))
    assert unknown_regions(load_factor_sets([path]), ["plant_grid"]) == []


def test_a_shipped_region_no_entity_has_is_noted_as_applying_to_nothing(write):
    path = write("province.yaml", HEADER + grid("north") + grid("CN-NM"))
    notes = unused_region_notes(load_factor_sets([path]), ["north", "east"])
    assert [(str(n.location), n.value) for n in notes] == [
        (f"{path}, line 12, column 'region'", "CN-NM")
    ]
    assert (
        "region CN-NM is the grid region of no entity of the organisation, so this factor "
        "applies to nothing; entities' regions: east, north"
    ) in str(notes[0])


def test_a_region_given_by_many_factors_of_a_file_is_one_note(write):
    defaults = HEADER.replace("factors:\n", "defaults: {region: CN-NM}\nfactors:\n")
    factor = "  - {key: ncv.diesel, value: 42.9, unit: GJ/t, confidence: V}\n"
    path = write("defaults.yaml", defaults + factor + factor.replace("ncv.diesel", "ncv.petrol"))
    notes = unused_region_notes(load_factor_sets([path]), [])
    assert [n.location.line for n in notes] == [8]
    assert "(2 factors of this file give it; this is the first)" in str(notes[0])
    assert "entities' regions: none (no entity has a grid_region)" in str(notes[0])


def test_regions_of_entities_and_regions_refused_as_unknown_are_not_noted(write):
    path = write("ok.yaml", HEADER + grid("CN-NM") + grid("nrth") + grid("plant_grid"))
    assert unused_region_notes(load_factor_sets([path]), ["CN-NM", "plant_grid"]) == []


def test_override_years_outside_the_calendar_are_noted_with_the_ledgers_years(write):
    path = write("years.yaml", HEADER + grid("north"))
    notes = unreported_year_notes(load_factor_sets([path]), [2023, 2024])
    assert [(str(n.location), n.value) for n in notes] == [
        (f"{path}, line 5, column 'years'", "2025")
    ]
    assert "are for year 2025, which this ledger does not report (its years: 2023, 2024)" in str(
        notes[0]
    )


def test_override_years_in_a_csv_file_are_noted_at_the_years_column(write):
    path = write("years.csv", CSV_HEAD + CSV_FIRST + "north\n")
    notes = unreported_year_notes(load_factor_sets([path]), [2024])
    assert [(str(n.location), n.value) for n in notes] == [
        (f"{path}, row 2, column 'years'", "2026")
    ]


def test_files_for_every_year_or_reported_years_are_not_noted(write, grid_path):
    path = write("years.yaml", HEADER + grid("north"))
    assert unreported_year_notes(load_factor_sets([path, grid_path]), [2024, 2025]) == []


def test_the_methodology_page_lists_every_shipped_region_and_no_other():
    page = (Path(__file__).resolve().parents[2] / "docs" / "methodology.md").read_text("utf-8")
    section = page.split("### User factor files", 1)[1].split("\n## ", 1)[0]
    table = section.split("| kind | codes |", 1)[1].split("\n\n", 1)[0]
    listed = set(re.findall(r"`([A-Za-z-]+)`", table))
    shipped = {f.region for s in shipped_factor_sets() for f in s.factors if f.region}
    assert listed == shipped
