"""A company adds its own indicators in extra YAML files; mistakes get located messages."""

from __future__ import annotations

from esgledger.catalog import CatalogError, load_catalog
from esgledger.errors import EsgError


def test_a_company_file_adds_indicators_under_its_file_name_as_topic(
    write_yaml, valid_entry
) -> None:
    path = write_yaml(valid_entry, name="acme_energy.yaml")
    catalog = load_catalog([path])
    assert catalog.get("acme.site_power").topic == "acme_energy"
    assert "energy.natural_gas" in catalog
    assert "acme.site_power" not in load_catalog()  # the cached shipped catalog is untouched


def test_a_directory_stands_for_the_yaml_files_in_it(write_yaml, valid_entry) -> None:
    path = write_yaml(valid_entry)
    assert "acme.site_power" in load_catalog([path.parent])


def test_catalog_errors_are_user_errors_that_list_every_problem(
    write_yaml, valid_entry, catalog_error
) -> None:
    text = valid_entry.replace("unit: MWh", "unit: MWhh").replace("category: E", "category: X")
    error = catalog_error(write_yaml(text))
    assert isinstance(error, EsgError)
    assert len(error.problems) == 2
    assert str(error).startswith("the indicator catalog has 2 problems and was not loaded")


def test_an_unknown_unit_names_file_line_indicator_and_field(
    write_yaml, valid_entry, catalog_error
) -> None:
    path = write_yaml(valid_entry.replace("unit: MWh", "unit: MWhh"))
    message = str(catalog_error(path))
    assert f"{path}, line 3 (value 'MWhh'): indicator 'acme.site_power', field 'unit'" in message
    assert "is not one esgledger.units reads. Write it as in units.txt" in message


def test_a_bad_company_file_reads_in_chinese(write_yaml, valid_entry, catalog_error) -> None:
    path = write_yaml(valid_entry.replace("unit: MWh", "unit: MWhh"))
    error = catalog_error(path)
    (problem,) = error.problems
    assert problem.code == "catalog.entry.rule"
    assert error.render("zh").splitlines() == [
        "指标目录有 1 个问题，未载入；请按所给的文件和行逐一修正",
        f"  - {path}，第 3 行（值 'MWhh'）：指标 'acme.site_power'，字段 'unit'："
        "esgledger.units 无法识别单位 'MWhh'。请按 units.txt 或 pint 的写法填写（MWh、t、m3、tce、"
        "kgce/tREO、tCO2e、CNY、%、person、person_time、item、h）",
    ]


def test_a_value_with_two_units_is_refused(write_yaml, valid_entry, catalog_error) -> None:
    message = str(catalog_error(write_yaml(valid_entry.replace("unit: MWh", "unit: ha;count"))))
    assert "'ha;count' is two units in one field. Split the value into two indicators" in message


def test_an_unknown_field_suggests_the_intended_one(write_yaml, valid_entry, catalog_error) -> None:
    path = write_yaml(valid_entry.replace("  definition:", "  defintion:"))
    message = str(catalog_error(path))
    assert f"{path}, line 9" in message
    assert "indicator 'acme.site_power': unknown field 'defintion'" in message
    assert "Did you mean 'definition'?" in message
    assert f"{path}, line 1: indicator 'acme.site_power': field 'definition' is missing" in message


def test_a_duplicate_id_names_both_places(write_yaml, valid_entry, catalog_error) -> None:
    path = write_yaml(valid_entry + "\n" + valid_entry)
    message = str(catalog_error(path))
    assert (
        f"{path}, line 11: indicator 'acme.site_power' is declared twice, here and at " in message
    )
    assert f"at {path}, line 1. Rename one of them" in message


def test_a_company_cannot_redeclare_a_shipped_indicator(
    write_yaml, valid_entry, catalog_error
) -> None:
    path = write_yaml(valid_entry.replace("acme.site_power", "energy.natural_gas"))
    message = str(catalog_error(path))
    assert f"{path}, line 1: indicator 'energy.natural_gas' is declared twice" in message
    assert "energy.yaml, line " in message


def test_a_reference_to_an_unknown_id_suggests_close_ids(
    write_yaml, valid_entry, catalog_error, derived_entry
) -> None:
    recipe = "ratio: {numerator: acme.site_powr, denominator: production.reo_output}"
    entry = derived_entry("acme.power_intensity", recipe, "MWh/tREO", "ratio")
    path = write_yaml(valid_entry + entry)
    message = str(catalog_error(path))
    assert f"{path}, line 19: indicator 'acme.power_intensity', field 'ratio'" in message
    assert "no indicator 'acme.site_powr' exists. Did you mean acme.site_power?" in message


def test_a_missing_chinese_name_asks_for_the_chinese_term(
    write_yaml, valid_entry, catalog_error
) -> None:
    path = write_yaml(valid_entry.replace("{en: Site power, zh: 厂区用电量}", "{en: Site power}"))
    message = str(catalog_error(path))
    assert f"{path}, line 2: indicator 'acme.site_power': field 'name.zh' is missing" in message
    assert "with the Chinese term" in message


def test_an_english_label_in_the_chinese_slot_is_refused(
    write_yaml, valid_entry, catalog_error
) -> None:
    path = write_yaml(valid_entry.replace("zh: 厂区用电量", "zh: Site power"))
    message = str(catalog_error(path))
    assert (
        f"{path}, line 2 (value 'Site power'): indicator 'acme.site_power', field 'name.zh'"
        in message
    )
    assert "has no Chinese characters" in message


def test_a_yaml_syntax_error_names_its_line(write_yaml, valid_entry, catalog_error) -> None:
    path = write_yaml(valid_entry.replace("unit: MWh", "unit: [MWh"))
    message = str(catalog_error(path))
    assert f"{path}, line 4: the YAML does not parse: did not find expected ',' or ']'" in message
    assert "(while parsing a flow sequence that starts at line 3)" in message


def test_a_file_that_is_not_a_list_says_how_entries_start(write_yaml, catalog_error) -> None:
    message = str(catalog_error(write_yaml("id: acme.site_power\n")))
    assert "the file's top level is not a list of entries. Start every entry with '- id:" in message


def test_a_missing_file_is_reported_not_raised_raw(tmp_path, catalog_error) -> None:
    message = str(catalog_error(tmp_path / "nowhere.yaml"))
    assert "nowhere.yaml: cannot read the file" in message


def test_a_derived_indicator_needs_exactly_one_recipe(
    write_yaml, valid_entry, catalog_error, derived_entry
) -> None:
    recipe = "adds: [acme.site_power]\n  method: acme.site_power_total"
    path = write_yaml(valid_entry + derived_entry("acme.site_power_total", recipe))
    message = str(catalog_error(path))
    assert f"{path}, line 20: indicator 'acme.site_power_total', field 'method'" in message
    assert "needs exactly one of adds, ratio, formula, method; found adds, method" in message


def test_an_input_with_a_recipe_is_refused(write_yaml, valid_entry, catalog_error) -> None:
    path = write_yaml(valid_entry + "  adds: [energy.diesel]\n")
    message = str(catalog_error(path))
    assert f"{path}, line 10: indicator 'acme.site_power', field 'adds'" in message
    assert "Remove it, or set kind: derived" in message


def test_a_ratio_must_aggregate_as_a_ratio(write_yaml, catalog_error, derived_entry) -> None:
    recipe = "ratio: {numerator: energy.purchased_electricity, denominator: production.reo_output}"
    path = write_yaml(derived_entry("acme.power_intensity", recipe, "MWh/tREO", "sum"))
    message = str(catalog_error(path))
    assert f"{path}, line 7 (value 'sum')" not in message  # the field, not pydantic's input dump
    assert f"{path}, line 7: indicator 'acme.power_intensity', field 'aggregation'" in message


def test_a_sum_of_incompatible_units_is_refused(write_yaml, catalog_error, derived_entry) -> None:
    recipe = "adds: [energy.natural_gas, energy.purchased_electricity]"
    path = write_yaml(derived_entry("acme.energy_mix", recipe, "MWh"))
    message = str(catalog_error(path))
    assert f"{path}, line 10: indicator 'acme.energy_mix', field 'adds'" in message
    assert "energy.natural_gas (Nm3) cannot be expressed in its unit 'MWh'" in message


def test_a_ratio_whose_units_do_not_give_its_unit_is_refused(
    write_yaml, catalog_error, derived_entry
) -> None:
    recipe = "ratio: {numerator: energy.natural_gas, denominator: production.reo_output}"
    path = write_yaml(derived_entry("acme.gas_intensity", recipe, "kgce/tREO", "ratio"))
    message = str(catalog_error(path))
    assert "energy.natural_gas / production.reo_output (Nm3 / tREO) cannot be expressed" in message


def test_a_dependency_cycle_is_named(write_yaml, catalog_error, derived_entry) -> None:
    first = derived_entry("acme.loop_a", "adds: [acme.loop_b]")
    second = derived_entry("acme.loop_b", "adds: [acme.loop_a]")
    path = write_yaml(first + second)
    message = str(catalog_error(path))
    assert f"{path}, line 10: indicator 'acme.loop_a' depends on itself:" in message
    assert "acme.loop_a -> acme.loop_b -> acme.loop_a" in message


def test_a_formula_may_not_call_code(write_yaml, catalog_error, derived_entry) -> None:
    path = write_yaml(derived_entry("acme.evil", "formula: \"__import__('os').getcwd()\""))
    message = str(catalog_error(path))
    assert f"{path}, line 10" in message
    assert "only indicator ids, numbers, + - * / and parentheses are allowed" in message


def test_an_unknown_framework_code_suggests_real_ones(
    write_yaml, valid_entry, catalog_error
) -> None:
    path = write_yaml(valid_entry + '  frameworks: {gri: ["302-99"], sasac: [E.1.3.1]}\n')
    message = str(catalog_error(path))
    assert f"{path}, line 10: indicator 'acme.site_power', field 'frameworks'" in message
    assert "gri has no item '302-99'. Did you mean" in message


def test_messages_never_show_pydantic_internals(write_yaml, valid_entry, catalog_error) -> None:
    text = valid_entry.replace("kind: input", "kind: computed").replace("flow", "flux")
    error = catalog_error(write_yaml(text + "  allow_negative: maybe\n"))
    message = str(error)
    assert "pydantic" not in message
    assert "Extra inputs" not in message
    assert "field 'kind': expected 'input' or 'derived'" in message
    assert isinstance(error, CatalogError)


SCOPED = """\
- id: acme.key_intensity
  name: {en: Energy intensity of the key entities, zh: 重点单位能耗强度}
  unit: kgce/tREO
  category: E
  kind: derived
  quantity_type: stock
  aggregation: ratio
  frequency: yearly
  definition: "Energy of the key entities per tREO of their output."
  ratio: {numerator: energy.total, denominator: production.reo_output}
  scope: SCOPE
"""


def test_a_scope_must_be_a_tag_or_a_segment(write_yaml, catalog_error) -> None:
    message = str(catalog_error(write_yaml(SCOPED.replace("SCOPE", "KEY"))))
    assert "'KEY' is not a boundary an indicator can be bound to" in message
    assert load_catalog([write_yaml(SCOPED.replace("SCOPE", "tag:key-entity"), "ok.yaml")])


def test_an_input_cannot_be_bound_to_a_scope(write_yaml, valid_entry, catalog_error) -> None:
    message = str(catalog_error(write_yaml(valid_entry + "  scope: tag:key-entity\n")))
    assert "an input is collected from entities, so it cannot be bound to one target" in message


def test_an_input_has_nothing_to_recompute(write_yaml, valid_entry, catalog_error) -> None:
    path = write_yaml(valid_entry.replace("aggregation: sum", "aggregation: recompute"))
    assert "an input has nothing to recompute its group value from" in str(catalog_error(path))


def test_what_is_computed_from_a_scoped_indicator_carries_its_scope(
    write_yaml, catalog_error
) -> None:
    follower = """
- id: acme.key_intensity_twice
  name: {en: Twice the key intensity, zh: 重点单位能耗强度两倍}
  unit: kgce/tREO
  category: E
  kind: derived
  quantity_type: stock
  aggregation: recompute
  frequency: yearly
  definition: "Two times the key entities' intensity."
  formula: acme.key_intensity * 2
"""
    path = write_yaml(SCOPED.replace("SCOPE", "tag:key-entity") + follower)
    message = str(catalog_error(path))
    assert (
        "'acme.key_intensity_twice' is computed from 'acme.key_intensity', which exists" in message
    )
    assert "Add scope: tag:key-entity to acme.key_intensity_twice" in message
    fixed = follower + "  scope: tag:key-entity\n"
    assert load_catalog([write_yaml(SCOPED.replace("SCOPE", "tag:key-entity") + fixed, "b.yaml")])
