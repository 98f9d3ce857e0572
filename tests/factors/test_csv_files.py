"""A user factor file may be CSV, one factor per row, checked like the YAML it mirrors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from esgledger.errors import ErrorKind
from esgledger.factors import FactorFileError, FactorSet, load_factor_sets, read_factor_file

YAML = """\
name: plant_factors
title: Measured factors of the smelter
version: "2024"
source: Smelter laboratory reports 2024
overrides: {entities: [SMELT, MINE], years: [2024, 2025]}
factors:
  - key: coal_equivalent.natural_gas
    value: 1.29
    unit: kgce/m3
    confidence: V
    citation: gas supplier certificate 2024
  - key: grid.electricity
    value: 0.52
    unit: tCO2/MWh
    region: north
    valid_from: 2024-01-01
    valid_to: 2025-01-01
    confidence: T
    notes: supplier statement
  - key: grid.electricity
    value: 0.50
    unit: tCO2/MWh
    region: north
    valid_from: 2025-01-01
    version: "2025"
    confidence: M
"""

# The dataset's own fields on the first row only; Excel's byte-order mark in front.
CSV = """\
\ufeffdataset,title,version,source,entities,years,key,value,unit,region,valid_from,valid_to,confidence,citation,notes
plant_factors,Measured factors of the smelter,2024,Smelter laboratory reports 2024,SMELT|MINE,2024;2025,coal_equivalent.natural_gas,1.29,kgce/m3,,,,V,gas supplier certificate 2024,
,,,,,,grid.electricity,0.52,tCO2/MWh,north,2024-01-01,2025-01-01,T,,supplier statement
,,2025,,,,grid.electricity,0.50,tCO2/MWh,north,2025-01-01,,M,,
"""  # noqa: E501

HEAD = "dataset,title,version,source,key,value,unit,confidence,valid_from\n"
FIRST = "plant,Plant factors,1,Plant laboratory 2024,ncv.diesel,42.9,GJ/t,V,2024-01-01\n"


def refused(path) -> str:
    with pytest.raises(FactorFileError) as caught:
        load_factor_sets([path])
    assert caught.value.kind is ErrorKind.USER
    text = str(caught.value)
    assert "nothing was loaded" in text and "validation error" not in text
    return text


def comparable(item: FactorSet) -> dict:
    """A factor set without the file it came from."""
    factors = [f.model_dump(exclude={"origin"}) for f in item.factors]
    return {**item.model_dump(exclude={"path", "scope_at", "factors"}), "factors": factors}


def test_a_csv_file_loads_to_the_same_factor_set_as_the_equivalent_yaml(write):
    from_yaml = read_factor_file(write("plant.yaml", YAML))
    from_csv = read_factor_file(write("plant.csv", CSV))
    assert comparable(from_csv) == comparable(from_yaml)
    assert [f.version for f in from_csv.factors] == ["2024", "2024", "2025"]
    assert from_csv.factors[1].origin == f"{from_csv.path}:3"


def test_a_csv_file_overrides_for_its_entities_and_years(write):
    library = load_factor_sets([write("plant.csv", CSV)])
    smelter = library.get("coal_equivalent.natural_gas", on=date(2025, 3, 1), entity="MINE")
    assert (smelter.value, smelter.dataset) == (1.29, "plant_factors")
    other = library.get("coal_equivalent.natural_gas", on=date(2025, 3, 1), entity="OTHER")
    assert other.value == 1.2143


def test_a_bad_value_names_row_and_column(write):
    path = write("bad.csv", HEAD + FIRST + ",,,,ncv.gasoline,forty,GJ/t,V,\n")
    text = refused(path)
    assert f"{path}, row 3, column 'value' (value 'forty'): 'value' must be a number" in text
    assert "Write a plain number of zero or more, such as 0.1229." in text


def test_a_negative_value_is_refused_at_its_row_and_column(write):
    path = write("negative.csv", HEAD + FIRST + ",,,,ncv.gasoline,-44.3,GJ/t,V,\n")
    text = refused(path)
    assert f"{path}, row 3, column 'value' (value '-44.3')" in text
    assert "a factor cannot be negative (it would turn emissions into removals)" in text


def test_a_bad_date_names_row_and_column(write):
    path = write("date.csv", HEAD + FIRST + ",,,,ncv.gasoline,44.3,GJ/t,V,2024/07/01\n")
    text = refused(path)
    assert f"{path}, row 3, column 'valid_from' (value '2024/07/01')" in text
    assert "2024/07/01 is not a date written YYYY-MM-DD" in text
    assert "as YYYY-MM-DD, such as 2024-01-01." in text


def test_a_missing_required_column_is_named_in_the_header_row(write):
    path = write("nounit.csv", HEAD.replace(",unit", "") + FIRST.replace(",GJ/t", ""))
    text = refused(path)
    assert f"{path}, row 1, column 'unit': the header row has no column 'unit'" in text


def test_a_misspelt_column_is_named_with_the_column_meant(write):
    path = write("typo.csv", HEAD.replace("valid_from", "valid_form") + FIRST)
    text = refused(path)
    assert f"{path}, row 1, column 'valid_form': unknown column 'valid_form'" in text
    assert "Did you mean 'valid_from'?" in text


def test_an_empty_required_cell_names_row_and_column(write):
    path = write("empty.csv", HEAD + FIRST + ",,,,ncv.gasoline,44.3,,V,\n")
    text = refused(path)
    assert f"{path}, row 3, column 'unit': this factor has no 'unit'" in text
    assert "Fill in column 'unit'" in text


def test_an_empty_required_cell_reads_in_chinese(write):
    path = write("empty.csv", HEAD + FIRST + ",,,,ncv.gasoline,44.3,,V,\n")
    with pytest.raises(FactorFileError) as caught:
        load_factor_sets([path])
    (problem,) = caught.value.problems
    assert problem.code == "factor.field.missing"
    assert problem.render("zh") == (
        f"{path}，第 3 行，'unit' 列：该因子缺少 'unit'。请在 'unit' 列填写："
        "pint 可识别的单位，如 kgce/kWh、tCO2/MWh、GJ/t 或 dimensionless。"
    )


def test_rows_may_not_disagree_on_the_dataset(write):
    path = write("two.csv", HEAD + FIRST + "other,,,,ncv.gasoline,44.3,GJ/t,V,\n")
    text = refused(path)
    assert f"{path}, row 3, column 'dataset' (value 'other'): 'dataset' differs from row 2" in text


def test_the_same_value_twice_names_both_rows(write):
    path = write("dup.csv", HEAD + FIRST + ",,,,ncv.diesel,43.1,GJ/t,V,2024-01-01\n")
    text = refused(path)
    assert f"{path}, row 3, column 'key' (value 'ncv.diesel')" in text
    assert f"already defined at {path}, row 2" in text


def test_a_key_given_twice_is_blamed_on_the_key_column_when_there_is_no_valid_from(write):
    head, first = HEAD.replace(",valid_from", ""), FIRST.replace(",2024-01-01", "")
    path = write("dup.csv", head + first + ",,,,ncv.diesel,43.1,GJ/t,V\n")
    text = refused(path)
    assert f"{path}, row 3, column 'key' (value 'ncv.diesel')" in text
    assert "valid_from" not in text.split("already defined", 1)[0]


def test_a_decimal_comma_is_one_problem_of_its_row_not_one_per_shifted_cell(write):
    path = write("comma.csv", HEAD + FIRST + ",,,,ncv.gasoline,44,3,GJ/t,V,2024-01-01\n")
    text = refused(path)
    assert "1 problem(s)" in text
    assert f"{path}, row 3: row 3 has 10 cells, the header has 9 columns" in text
    assert "decimal comma written as a point (0.52, not 0,52)" in text
    assert "column 'unit'" not in text and "column 'confidence'" not in text


def test_a_row_with_fewer_cells_than_the_header_is_one_problem(write):
    path = write("short.csv", HEAD + FIRST + ",,,,ncv.gasoline,44.3,GJ/t,V\n")
    text = refused(path)
    assert "1 problem(s)" in text
    assert f"{path}, row 3: row 3 has 8 cells, the header has 9 columns" in text
    assert "one cell per column" in text


def test_a_short_row_and_a_misspelt_column_read_in_chinese(write):
    path = write("short.csv", HEAD.replace("valid_from", "valid_form") + FIRST[:-12] + "\n")
    with pytest.raises(FactorFileError) as caught:
        load_factor_sets([path])
    (problem,) = caught.value.problems
    assert problem.code == "factor.csv.unknown_column"
    assert "未知列 'valid_form'。您是否指 'valid_from'？已知列为：key，" in problem.render("zh")
    path = write("short.csv", HEAD + FIRST + ",,,,ncv.gasoline,44.3,GJ/t,V\n")
    with pytest.raises(FactorFileError) as caught:
        load_factor_sets([path])
    (problem,) = caught.value.problems
    assert problem.code == "factor.csv.fewer_cells"
    assert f"{path}，第 3 行：第 3 行有 8 个单元格，而表头有 9 列。" in problem.render("zh")


def test_a_misaligned_row_holding_the_dataset_fields_asks_for_no_missing_field(write):
    shifted = FIRST.replace("42.9", "42,9")
    path = write("shifted.csv", HEAD + shifted + ",,,,ncv.gasoline,44.3,GJ/t,V,\n")
    text = refused(path)
    assert "1 problem(s)" in text and f"{path}, row 2: row 2 has 10 cells" in text


def test_a_value_under_an_unnamed_column_is_refused(write):
    head, first = HEAD.replace(",valid_from", ",,valid_from"), FIRST.replace(",V,", ",V,,")
    path = write("unnamed.csv", head + first + ",,,,ncv.gasoline,44.3,GJ/t,V,oops,\n")
    text = refused(path)
    assert f"{path}, row 3 (value 'oops')" in text and "does not name" in text


def test_a_file_that_is_not_utf8_says_how_to_save_it(tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes((HEAD + FIRST.replace("Plant factors", "工厂因子")).encode("gbk"))
    assert "Save it as 'CSV UTF-8" in refused(path)


def test_an_unknown_extension_is_refused_naming_the_formats(write):
    path = write("factors.xlsx", HEAD + FIRST)
    text = refused(path)
    assert "neither a YAML nor a CSV factor file" in text and ".csv" in text and ".yaml" in text


def test_a_directory_of_factor_files_includes_csv_files(write, tmp_path):
    write("plant.csv", CSV)
    library = load_factor_sets([tmp_path])
    assert [s.name for s in library.sets if s.is_override] == ["plant_factors"]


def test_the_csv_example_of_the_methodology_page_is_its_yaml_example(write):
    page = (Path(__file__).resolve().parents[2] / "docs" / "methodology.md").read_text("utf-8")
    section = page.split("### User factor files", 1)[1]
    blocks = {
        fence: section.split(f"```{fence}\n", 1)[1].split("```", 1)[0] for fence in ("yaml", "csv")
    }
    from_yaml = read_factor_file(write("example.yaml", blocks["yaml"]))
    from_csv = read_factor_file(write("example.csv", blocks["csv"]))
    assert comparable(from_csv) == comparable(from_yaml)
    assert len(from_csv.factors) == 2


def test_a_bad_year_names_the_years_column_only(write):
    path = write("year.csv", HEAD.replace("\n", ",years\n") + FIRST.replace("\n", ",2024;20x5\n"))
    text = refused(path)
    assert "1 problem(s)" in text
    assert f"{path}, row 2, column 'years' (value '2024;20x5'): 'years' must be a whole" in text


@pytest.mark.parametrize(("separator", "named"), [(";", "';'"), ("\t", "tabs")])
def test_a_file_separated_by_semicolons_or_tabs_is_one_problem_naming_the_separator(
    write, separator, named
):
    path = write("excel.csv", (HEAD + FIRST).replace(",", separator))
    text = refused(path)
    assert "1 problem(s)" not in text and "cannot be read" in text
    assert len(text.splitlines()) == 2 and "no column" not in text
    shown = separator.join(["dataset", "title", "version", "..."]).replace("\t", "\\t")
    assert f"{path}, row 1: the header is one column '{shown}'" in text
    assert f"the file is separated by {named}, not by commas" in text
    assert "Save it as CSV with commas (Excel: CSV UTF-8 (comma delimited))." in text


def test_a_one_column_header_without_another_separator_is_a_missing_column_problem(write):
    text = refused(write("alone.csv", "dataset\nplant\n"))
    assert "the header row has no column 'key'" in text and "separated by" not in text


def test_entities_and_years_in_a_quoted_cell_may_be_separated_by_commas(write):
    head = HEAD.replace("\n", ",entities,years\n")
    path = write("scope.csv", head + FIRST.replace("\n", ',"SMELT, SMELT-HYD","2024, 2025"\n'))
    scope = read_factor_file(path).overrides
    assert scope is not None
    assert (scope.entities, scope.years) == (("SMELT", "SMELT-HYD"), (2024, 2025))
