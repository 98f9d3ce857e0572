"""A broken factor file is refused whole, with every problem named by file and line."""

from __future__ import annotations

from datetime import date

import pytest

from esgledger.errors import ErrorKind, EsgError
from esgledger.factors import FactorError, FactorFileError, load_factor_sets, read_factor_file

HEADER = """\
name: plant_ncv
title: Measured NCVs of the smelter
version: "2024"
source: Smelter laboratory reports 2024
overrides: {entities: [SMELT], years: [2024]}
factors:
"""


def refused(path) -> str:
    with pytest.raises(FactorFileError) as caught:
        load_factor_sets([path])
    error = caught.value
    assert isinstance(error, EsgError) and error.kind is ErrorKind.USER
    text = str(error)
    assert "nothing was loaded" in text and "Traceback" not in text
    assert "validation error" not in text  # never pydantic's own wording
    return text


def test_unknown_field_names_file_line_and_the_field_meant(write):
    path = write(
        "typo.yaml",
        HEADER
        + """\
  - key: ncv.natural_gas
    valu: 38.5
    unit: MJ/m3
    confidence: V
""",
    )
    text = refused(path)
    assert f"{path}, line 8, column 'valu'" in text
    assert "unknown field 'valu'. Did you mean 'value'?" in text
    assert "has no 'value'" not in text  # the misspelling is the one problem


def test_bad_unit_says_what_is_expected(write):
    path = write(
        "unit.yaml",
        HEADER
        + """\
  - key: ncv.diesel
    value: 42.9
    unit: GJ/tonnne
    confidence: V
""",
    )
    text = refused(path)
    assert f"{path}, line 9, column 'unit' (value 'GJ/tonnne')" in text
    assert "unknown unit 'GJ/tonnne'" in text and "such as kgce/kWh" in text


def test_duplicate_key_region_and_date_points_at_both_lines(write):
    path = write(
        "dup.yaml",
        HEADER
        + """\
  - key: grid.electricity
    value: 0.60
    unit: tCO2/MWh
    region: north
    valid_from: 2024-01-01
    confidence: V
  - key: grid.electricity
    value: 0.61
    unit: tCO2/MWh
    region: north
    valid_from: 2024-01-01
    confidence: V
""",
    )
    text = refused(path)
    assert f"{path}, line 13, column 'key' (value 'grid.electricity')" in text
    assert f"already defined at {path}, line 7" in text
    assert "give the new one a later valid_from" in text


def test_a_duplicate_factor_reads_in_chinese_with_both_places(write):
    entry = (
        "  - key: grid.electricity\n    value: 0.60\n    unit: tCO2/MWh\n    region: north\n"
        "    valid_from: 2024-01-01\n    confidence: V\n"
    )
    path = write("dup.yaml", HEADER + entry + entry)
    with pytest.raises(FactorFileError) as caught:
        load_factor_sets([path])
    (problem,) = caught.value.problems
    assert problem.code == "factor.check.duplicate"
    text = problem.render("zh")
    assert f"grid.electricity（地区 north，自 2024-01-01 起）已在 {path}，第 7 行定义" in text
    assert "请只保留其中一个" in text


def test_a_negative_value_is_refused_at_its_line(write):
    factor = "  - key: grid.electricity\n    value: -0.52\n    unit: tCO2/MWh\n    confidence: V\n"
    path = write("negative.yaml", HEADER + factor)
    text = refused(path)
    assert f"{path}, line 8, column 'value' (value '-0.52'): 'value' is not valid" in text
    assert "a factor cannot be negative" in text
    assert "Write a plain number of zero or more, such as 0.1229." in text


def test_a_negative_value_reads_in_chinese(write):
    factor = "  - key: grid.electricity\n    value: -0.52\n    unit: tCO2/MWh\n    confidence: V\n"
    path = write("negative.yaml", HEADER + factor)
    with pytest.raises(FactorFileError) as caught:
        load_factor_sets([path])
    (problem,) = caught.value.problems
    assert problem.code == "factor.field.invalid"
    assert problem.render("zh") == (
        f"{path}，第 8 行，'value' 列（值 '-0.52'）：'value' 无效：因子不能为负（否则会把排放变成"
        "清除）。请填写：零或正的普通数字，如 0.1229。"
    )


def test_a_factor_of_zero_is_accepted(write):
    factor = "  - {key: ncv.diesel, value: 0, unit: GJ/t, confidence: V}\n"
    assert read_factor_file(write("zero.yaml", HEADER + factor)).factors[0].value == 0


def test_overlapping_validity_is_refused(write):
    path = write(
        "overlap.yaml",
        HEADER
        + """\
  - key: grid.electricity
    value: 0.60
    unit: tCO2/MWh
    valid_from: 2024-01-01
    valid_to: 2025-01-01
    confidence: V
  - key: grid.electricity
    value: 0.58
    unit: tCO2/MWh
    valid_from: 2024-07-01
    confidence: V
""",
    )
    text = refused(path)
    assert f"{path}, line 7, column 'valid_to' (value '2025-01-01')" in text
    assert f"overlaps the value starting 2024-07-01 at {path}, line 13" in text


def test_every_problem_of_a_file_is_reported_at_once(write):
    path = write(
        "many.yaml",
        HEADER
        + """\
  - key: ncv.natural_gas
    value: 38.5
    unit: MJ/m3
  - key: Not A Key
    value: twelve
    unit: GJ/t
    confidence: V
    valid_from: 2024-06-01
    valid_to: 2024-01-01
""",
    )
    text = refused(path)
    assert "4 problem(s)" in text
    assert f"{path}, line 7, column 'confidence': this factor has no 'confidence'" in text
    assert "line 10, column 'key' (value 'Not A Key')" in text
    assert "line 11, column 'value' (value 'twelve')" in text
    assert "valid_to 2024-01-01 is not after valid_from 2024-06-01" in text


def test_yaml_syntax_error_names_the_line(write):
    path = write("syntax.yaml", HEADER + "  - key: ncv.diesel\n    value: [42.9\n")
    text = refused(path)
    assert f"{path}, line" in text and "not valid YAML" in text


def test_a_key_written_twice_in_one_factor_is_caught(write):
    path = write(
        "twice.yaml",
        HEADER
        + """\
  - key: ncv.diesel
    value: 42.9
    unit: GJ/t
    confidence: V
    value: 43.1
""",
    )
    assert f"{path}, line 11, column 'value': 'value' is written twice" in refused(path)


def test_header_problems_are_located(write):
    path = write(
        "header.yaml",
        """\
name: Plant NCV
title: Measured
version: "1"
factors:
  - key: ncv.diesel
    value: 42.9
    unit: GJ/t
    confidence: V
""",
    )
    text = refused(path)
    assert f"{path}, line 1, column 'name' (value 'Plant NCV')" in text
    assert "the file has no 'source'" in text


def test_shipped_files_may_not_declare_overrides(write):
    factor = "  - {key: ncv.diesel, value: 42.9, unit: GJ/t, confidence: V}\n"
    path = write("shipped.yaml", HEADER + factor)
    with pytest.raises(FactorFileError, match="line 5, column 'overrides'"):
        read_factor_file(path, shipped=True)


def test_a_missing_user_file_is_a_clear_error(tmp_path):
    with pytest.raises(FactorError, match="no such factor file"):
        load_factor_sets([tmp_path / "nowhere.yaml"])


def test_a_valid_user_file_overrides_the_shipped_default_for_its_scope(write):
    path = write(
        "ok.yaml",
        HEADER
        + """\
  - key: coal_equivalent.natural_gas
    value: 1.2900
    unit: kgce/m3
    confidence: V
    citation: gas supplier certificate 2024, NCV 37.8 MJ/m3
""",
    )
    library = load_factor_sets([path])
    mine = library.get("coal_equivalent.natural_gas", on=date(2024, 5, 1), entity="SMELT")
    assert (mine.value, mine.dataset) == (1.29, "plant_ncv")
    assert "Smelter laboratory reports 2024 — gas supplier certificate" in mine.citation
    other = library.get("coal_equivalent.natural_gas", on=date(2024, 5, 1), entity="MINE")
    assert other.value == 1.2143
    assert any(d.is_override for d in library.datasets())


def test_a_misspelt_overrides_field_names_the_field_meant(write):
    factor = "  - {key: ncv.diesel, value: 42.9, unit: GJ/t, confidence: V}\n"
    path = write("scope.yaml", HEADER.replace("entities:", "entites:") + factor)
    text = refused(path)
    assert "1 problem(s)" in text
    assert f"{path}, line 5, column 'overrides': unknown field 'overrides.entites'" in text
    assert "Did you mean 'entities'? Known fields are: entities, years." in text


def test_overrides_neither_global_nor_a_mapping_get_one_reason(write):
    factor = "  - {key: ncv.diesel, value: 42.9, unit: GJ/t, confidence: V}\n"
    path = write(
        "scope.yaml", HEADER.replace("{entities: [SMELT], years: [2024]}", "globl") + factor
    )
    text = refused(path)
    assert "1 problem(s)" in text and "'globl' is neither global nor a mapping" in text
