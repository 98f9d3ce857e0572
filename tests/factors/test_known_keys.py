"""A user factor file that would change nothing is not loaded in silence.

A key spelt like a known one is refused as a misspelling, a key unknown to every dataset and
method is noted, and an override for an entity the organisation lacks is reported.
"""

from __future__ import annotations

import pytest

from esgledger.engine.methods.scope3 import scope3_categories
from esgledger.factors import (
    FactorFileError,
    load_factor_sets,
    new_key_notes,
    shipped_factor_sets,
    unknown_override_entities,
)
from esgledger.factors.keys import expected_keys

HEADER = """\
name: plant_factors
title: Factors of the smelter
version: "2024"
source: Smelter laboratory reports 2024
overrides:
  entities: [SMELT, BRIRRE]
factors:
"""


def factor(key: str, *extra: str) -> str:
    lines = [f"  - key: {key}", "    value: 0.5", "    unit: tCO2/MWh", "    confidence: V"]
    return "\n".join([*lines, *(f"    {line}" for line in extra)]) + "\n"


def test_a_key_spelt_like_a_shipped_key_is_refused_naming_the_line_and_the_key_meant(write):
    path = write("typo.yaml", HEADER + factor("grid.electricity") + factor("grid.electricty"))
    with pytest.raises(FactorFileError) as caught:
        load_factor_sets([path])
    text = str(caught.value)
    assert "1 problem(s)" in text
    assert f"{path}, line 12, column 'key' (value 'grid.electricty')" in text
    assert "would change nothing" in text and "Did you mean 'grid.electricity'?" in text


def test_a_misspelt_key_reads_in_chinese_with_the_key_meant(write):
    path = write("typo.yaml", HEADER + factor("grid.electricty"))
    with pytest.raises(FactorFileError) as caught:
        load_factor_sets([path])
    (problem,) = caught.value.problems
    assert problem.code == "factor.check.misspelt_key"
    text = problem.render("zh")
    assert "没有任何内置数据集定义 'grid.electricty'" in text
    assert "您是否指 'grid.electricity'？" in text and "new_key: true" in text


def test_a_misspelt_key_in_a_csv_file_names_its_row(write):
    path = write(
        "typo.csv",
        "dataset,title,version,source,key,value,unit,confidence\n"
        "plant,Plant factors,1,Plant laboratory,ncv.natural_gas,389.3,GJ/wan_m3,V\n"
        ",,,,ncv.natural_gsa,38.9,GJ/wan_m3,V\n",
    )
    with pytest.raises(FactorFileError, match=r"row 3, column 'key' \(value 'ncv.natural_gsa'\)"):
        load_factor_sets([path])


def test_a_misspelt_scope3_or_pfc_key_is_refused_though_none_ships(write):
    path = write("s3.yaml", HEADER + factor("scope3_ef.cat4.tkmm"))
    with pytest.raises(FactorFileError, match=r"Did you mean 'scope3_ef\.cat4\.tkm'"):
        load_factor_sets([path])


def test_a_key_marked_new_on_purpose_loads_and_is_only_noted(write):
    path = write("new.yaml", HEADER + factor("process_ef.carbonate.CdCO3", "new_key: true"))
    library = load_factor_sets([path])
    notes = new_key_notes(library)
    assert [(n.location.line, n.value) for n in notes] == [(8, "process_ef.carbonate.CdCO3")]
    assert "changes no computed value" in str(notes[0])


def test_a_key_far_from_every_known_key_loads_with_a_note_naming_file_and_line(write):
    path = write("far.yaml", HEADER + factor("water.recycling_credit"))
    notes = new_key_notes(load_factor_sets([path]))
    assert [str(n.location) for n in notes] == [f"{path}, line 8, column 'key'"]


def test_keys_a_method_asks_for_are_not_noted_though_no_dataset_ships_them(write):
    pfc = factor("process_ef.pfc.cf4.rare_earth_electrolysis").replace("tCO2/MWh", "kg/t")
    scope3 = factor("scope3_ef.cat1.spend").replace("tCO2/MWh", "tCO2e/CNY")
    library = load_factor_sets([write("asked.yaml", HEADER + pfc + scope3)])
    assert new_key_notes(library) == []


def test_the_expected_keys_are_those_the_engine_asks_for_that_ship_no_default():
    lines = [line for c in scope3_categories().values() for line in c["lines"]]
    scope3 = {line["factor"] for line in lines if not line.get("direct")}  # direct: no factor
    pfc = {f"process_ef.pfc.{gas}.rare_earth_electrolysis" for gas in ("cf4", "c2f6")}
    assert expected_keys() == scope3 | pfc
    shipped = {f.key for item in shipped_factor_sets() for f in item.factors}
    assert expected_keys() & shipped == set()


def test_an_override_for_an_entity_the_organisation_lacks_names_the_entity_meant(write):
    path = write("scoped.yaml", HEADER + factor("grid.electricity"))
    problems = unknown_override_entities(load_factor_sets([path]), ["GROUP", "SMELT", "BRIRE"])
    assert [(p.value, p.location.line) for p in problems] == [("BRIRRE", 5)]
    assert "organisation does not have" in str(problems[0])
    assert "Did you mean 'BRIRE'?" in str(problems[0])


def test_an_unknown_entity_in_a_csv_file_names_the_row_and_column(write):
    path = write(
        "scoped.csv",
        "dataset,title,version,source,key,value,unit,confidence,entities\n"
        "plant,Plant factors,1,Plant laboratory,grid.electricity,0.5,tCO2/MWh,V,\n"
        ",,,,coal_equivalent.natural_gas,1.29,kgce/m3,V,SMELT|BRIRRE\n",
    )
    problems = unknown_override_entities(load_factor_sets([path]), ["SMELT", "BRIRE"])
    assert [str(p.location) for p in problems] == [f"{path}, row 3, column 'entities'"]


def test_files_for_every_entity_or_known_entities_have_no_entity_problems(write, grid_path):
    path = write("ok.yaml", HEADER.replace("BRIRRE", "BRIRE") + factor("grid.electricity"))
    library = load_factor_sets([path, grid_path])
    assert unknown_override_entities(library, ["SMELT", "BRIRE"]) == []
