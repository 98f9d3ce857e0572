"""Engine behaviour beyond single figures: errors, notices, data quality, explain, method sets."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

import numpy as np
import pytest

from esgledger.catalog import Catalog, Indicator, load_catalog
from esgledger.engine.compute import evaluation_order
from esgledger.engine.errors import CalculationError
from esgledger.engine.explain import explain
from esgledger.engine.methodset import get_method_sets
from esgledger.engine.run import calculate
from esgledger.factors import load_factor_sets
from tests.engine.harness import observations_of, org_of, run_case

ONE_ENTITY = [{"code": "G", "kind": "group", "grid_region": "national"}]


def case(inputs, period=2024, **extra):
    return {
        "name": "t",
        "period": period,
        "entities": extra.pop("entities", ONE_ENTITY),
        "input": inputs,
        **extra,
    }


def with_factor_file(
    tmp_path, factors, inputs, periods=("2024",), entities=ONE_ENTITY, scope="global"
):
    """Calculate ``inputs`` with the shipped factors and one user file of ``factors`` (YAML)."""
    factor_file = tmp_path / "plant.yaml"
    factor_file.write_text(
        f"name: plant\ntitle: t\nversion: '1'\nsource: test\noverrides: {scope}\n"
        f"factors:\n{factors}",
        encoding="utf-8",
    )
    results = calculate(
        observations_of(inputs, periods[-1]),
        org_of(entities),
        load_catalog(),
        load_factor_sets([factor_file]),
        get_method_sets("cn-default")[0],
        list(periods),
    )
    return results, factor_file


def test_a_missing_grid_factor_names_indicator_period_key_and_fix(tmp_path):
    with pytest.raises(CalculationError) as caught:
        run_case(
            case(
                {"G": {"energy.purchased_electricity": 10}},
                method_options={"grid_factor_vintage": "period_year"},
            ),
            tmp_path,
        )
    text = str(caught.value)
    assert text.startswith("ghg.scope2_location for period 2024: no factor 'grid.electricity'")
    assert "Add the value in a factor file" in text


def test_the_latest_published_grid_factor_stands_in_and_says_so(tmp_path):
    results = run_case(case({"G": {"energy.purchased_electricity": 1000}}), tmp_path)
    assert results.value("ghg.scope2_location", "G", "2024") == pytest.approx(530.6)
    tree = explain(results, "ghg.scope2_location", "G", "2024")
    grid = next(f for f in tree.factors if f.key == "grid.electricity")
    assert grid.note == "grid.electricity of 2023 used for 2024 (latest published)"
    assert grid.dataset == "cn_grid_mee" and "2023" in grid.citation


def test_a_calculation_is_freed_as_soon_as_its_results_are_dropped(tmp_path):
    # the stand-in search meets missing factors on the way; nothing of it may keep the
    # calculation alive (an exception's traceback holds its callers' frames)
    results = run_case(case({"G": {"energy.purchased_electricity": 1000}}), tmp_path)
    states = [weakref.ref(results.entities), weakref.ref(results.cube)]
    gc.disable()
    try:
        del results
        assert [state() for state in states] == [None, None]
    finally:
        gc.enable()


def test_zero_production_leaves_the_intensity_empty_with_a_named_notice(tmp_path):
    results = run_case(case({"G": {"energy.diesel": 10, "production.reo_output": 0}}), tmp_path)
    assert results.value("energy.intensity_per_treo", "G", "2024") != results.value(
        "energy.intensity_per_treo", "G", "2024"
    )  # NaN
    notice = next(d for d in results.diagnostics if d.indicator == "energy.intensity_per_treo")
    assert (notice.entity, notice.period) == ("G", "2024")
    assert "production.reo_output is zero or not reported" in notice.message


def test_green_power_above_purchased_power_is_refused(tmp_path):
    with pytest.raises(
        CalculationError, match=r"green electricity .* exceeds purchased electricity"
    ):
        run_case(
            case(
                {"G": {"energy.purchased_electricity": 10, "energy.green_power_purchased": 20}},
                period=2023,
            ),
            tmp_path,
        )


def test_reported_scope3_activity_without_a_factor_is_an_error(tmp_path):
    with pytest.raises(CalculationError, match=r"no factor 'scope3_ef\.cat4\.tkm'"):
        run_case(case({"G": {"scope3.cat4_upstream_transport": 1000}}), tmp_path)


def nonsense_indicator(tmp_path) -> Path:
    """A catalog file whose formula adds a gas volume to electricity (units that cannot add)."""
    extra = tmp_path / "acme.yaml"
    extra.write_text(
        "- id: acme.nonsense\n  name: {en: Nonsense, zh: 无意义}\n  unit: Nm3\n  category: E\n"
        "  kind: derived\n  quantity_type: flow\n  aggregation: sum\n  frequency: yearly\n"
        "  definition: gas plus electricity\n"
        "  formula: energy.natural_gas + energy.purchased_electricity\n",
        encoding="utf-8",
    )
    return extra


def test_a_formula_with_incompatible_units_names_the_indicator(tmp_path):
    extra = nonsense_indicator(tmp_path)
    from esgledger.catalog import CatalogError

    with pytest.raises((CalculationError, CatalogError), match=r"acme\.nonsense"):
        catalog = load_catalog([extra])
        from esgledger.engine.arrays.state import State  # noqa: F401 - imported for the engine run

        run_case_with(catalog, tmp_path)


def test_a_formula_with_incompatible_units_reads_in_chinese(tmp_path):
    extra = nonsense_indicator(tmp_path)
    with pytest.raises(CalculationError) as caught:
        run_case_with(load_catalog([extra]), tmp_path)
    assert caught.value.code == "calc.formula_unit"
    text = caught.value.render("zh")
    formula = "'energy.natural_gas + energy.purchased_electricity'"
    assert text.startswith(f"acme.nonsense：公式 {formula} 得不出 Nm3")
    assert text.endswith("；请在指标目录中更正公式或单位")


def run_case_with(catalog, tmp_path):
    from esgledger.engine.methodset import get_method_sets
    from esgledger.engine.run import calculate
    from esgledger.factors import load_factor_sets
    from tests.engine.harness import observations_of, org_of

    calculate(
        observations_of(
            {"G": {"energy.natural_gas": 1.0, "energy.purchased_electricity": 1.0}}, "2024"
        ),
        org_of(ONE_ENTITY),
        catalog,
        load_factor_sets(),
        get_method_sets("cn-default")[0],
        ["2024"],
    )


def test_a_cycle_in_recipes_is_refused_with_the_chain(tmp_path):
    extra = tmp_path / "loop.yaml"
    entry = (
        "- id: loop.{a}\n  name: {{en: Loop {a}, zh: 循环}}\n  unit: t\n  category: E\n"
        "  kind: derived\n  quantity_type: flow\n  aggregation: sum\n  frequency: yearly\n"
        "  definition: loops\n  adds: [loop.{b}]\n"
    )
    extra.write_text(
        entry.format(a="a", b="b") + "\n" + entry.format(a="b", b="a"), encoding="utf-8"
    )
    with pytest.raises(Exception, match=r"loop\.a.*loop\.b.*loop\.a|loop\.b.*loop\.a.*loop\.b"):
        evaluation_order(load_catalog([extra]))


def test_a_cycle_in_recipes_reads_in_chinese():
    """A catalog built in code skips the loader's checks; the engine still names the cycle."""
    loop = {
        "name": {"en": "Loop", "zh": "循环"},
        "unit": "t",
        "category": "E",
        "kind": "derived",
        "quantity_type": "flow",
        "aggregation": "sum",
        "frequency": "yearly",
        "definition": "loops",
    }
    catalog = Catalog(
        Indicator.model_validate({**loop, "id": f"loop.{a}", "adds": [f"loop.{b}"]})
        for a, b in (("a", "b"), ("b", "a"))
    )
    with pytest.raises(CalculationError) as caught:
        evaluation_order(catalog)
    assert caught.value.code == "calc.recipe_cycle"
    text = caught.value.render("zh")
    assert text.startswith("指标目录中的计算规则构成循环：loop.") and "请修改其中一条规则" in text


def test_estimated_inputs_carry_their_share_into_results(tmp_path):
    inputs = {
        "G": {"energy.diesel": {"value": 100, "quality": "estimated"}, "energy.gasoline": 100}
    }
    results = run_case(case(inputs), tmp_path)
    diesel, gasoline = 100 * 1.4571, 100 * 1.4714
    assert results.entities.estimated["energy.fossil_total"][0, 0] == pytest.approx(
        diesel / (diesel + gasoline)
    )


def test_the_estimated_share_of_a_sum_weighs_each_addend_in_the_sums_unit(tmp_path):
    # water.total_use [m3] = fresh withdrawal [m3] + recycled [ML]: 1 ML is 1,000 m3
    inputs = {
        "G": {
            "water.fresh_withdrawal": 1000,
            "water.recycled": {"value": 3, "quality": "estimated"},
        }
    }
    results = run_case(case(inputs), tmp_path)
    assert results.entities.values["water.total_use"][0, 0] == pytest.approx(4000)
    assert results.entities.estimated["water.total_use"][0, 0] == pytest.approx(3000 / 4000)


def test_a_deducted_part_still_weighs_by_its_size(tmp_path):
    # process CO2 = gross − recovered: the estimate (recovered) weighs |−20| of |100| + |−20|
    inputs = {
        "G": {
            "process.carbonate_caco3_consumed": 227.27,
            "ghg.scope1_co2_recovered": {"value": 20, "quality": "estimated"},
        }
    }
    results = run_case(case(inputs, method_options={"deduct_recovered_co2": True}), tmp_path)
    gross = results.entities.values["ghg.scope1_process_gross"][0, 0]
    assert results.entities.values["ghg.scope1_process"][0, 0] == pytest.approx(gross - 20)
    assert results.entities.estimated["ghg.scope1_process"][0, 0] == pytest.approx(
        20 / (gross + 20)
    )


def test_explain_reaches_the_observation_rows_and_factor_citations(tmp_path):
    inputs = {"G": {"energy.purchased_electricity": {"2024-01": 400, "2024-02": 600}}}
    results = run_case(case(inputs), tmp_path)
    tree = explain(results, "energy.total", "group", "2024")
    assert tree.value == pytest.approx(1000 * 0.1229)
    entity = tree.children[0]
    # the entity's year is the sum of its months, each explained on its own
    assert entity.recipe == "months"
    assert entity.parts == [
        {"label": "2024-01", "value": pytest.approx(400 * 0.1229)},
        {"label": "2024-02", "value": pytest.approx(600 * 0.1229)},
    ]
    january = entity.children[0]
    assert (january.code, january.period) == ("G", "2024-01")
    electricity_tce = next(
        c for c in january.children if c.indicator == "energy.purchased_electricity_tce"
    )
    factor = electricity_tce.factors[0]
    assert (factor.key, factor.value, factor.dataset) == (
        "coal_equivalent.electricity",
        0.1229,
        "gbt2589",
    )
    assert "GB/T 2589-2020" in factor.citation
    collected = electricity_tce.children[0]
    assert [(o["period"], o["value"]) for o in collected.observations] == [("2024-01", 400.0)]
    # the year's input lists the rows of every month
    year_input = explain(results, "energy.purchased_electricity", "G", "2024")
    assert [(o["period"], o["value"]) for o in year_input.observations] == [
        ("2024-01", 400.0),
        ("2024-02", 600.0),
    ]
    assert tree.to_dict()["children"][0]["code"] == "G"


def test_two_method_sets_differ_only_where_the_methodology_does(tmp_path):
    inputs = {"G": {"energy.diesel": 931, "energy.purchased_electricity": 1000}}
    cn = run_case(case(inputs), tmp_path)
    coal = run_case(case(inputs, method_set="coal-consumption"), tmp_path)
    assert cn.value("ghg.scope1", "G", "2024") == coal.value("ghg.scope1", "G", "2024")
    assert cn.value("energy.total", "G", "2024") != coal.value("energy.total", "G", "2024")


def test_market_based_scope2_falls_back_year_by_year_not_for_all_years(tmp_path):
    # The factor excluding market-traded non-fossil power ships for 2021 and 2023 (0.6096,
    # used for 2024 as the latest published); 2021 has none and takes the grid factor.
    electricity = {"energy.purchased_electricity": {"2021": 10000, "2024": 10000}}
    both = run_case(case({"G": electricity}, periods=[2021, 2024]), tmp_path)
    alone = run_case(case({"G": electricity}, periods=[2024]), tmp_path)
    assert both.value("ghg.scope2_market", "G", "2024") == pytest.approx(6096)
    assert alone.value("ghg.scope2_market", "G", "2024") == pytest.approx(6096)
    assert both.value("ghg.scope2_market", "G", "2021") == pytest.approx(
        both.value("ghg.scope2_location", "G", "2021")
    )
    used_2024 = {f.key for f in explain(both, "ghg.scope2_market", "G", "2024").factors}
    used_2021 = {f.key for f in explain(both, "ghg.scope2_market", "G", "2021").factors}
    assert "grid.electricity_excl_market_nonfossil" in used_2024
    assert "grid.electricity" not in used_2024
    assert (
        used_2021 >= {"grid.electricity"}
        and "grid.electricity_excl_market_nonfossil" not in used_2021
    )


def test_a_factor_in_a_unit_that_cannot_convert_names_indicator_period_and_file(tmp_path):
    factors = "  - {key: grid.electricity, value: 0.6, unit: kgce/kWh, confidence: M}\n"
    with pytest.raises(CalculationError) as caught:
        with_factor_file(tmp_path, factors, {"G": {"energy.purchased_electricity": 10}})
    text = str(caught.value)
    assert text.startswith("ghg.scope2_location for period 2024: factor 'grid.electricity'")
    assert f"{tmp_path / 'plant.yaml'}:7" in text
    assert "'kgce/kWh', which cannot be converted to 'tCO2e/MWh'" in text


def test_a_method_set_naming_an_unknown_gwp_set_is_refused_before_computing(tmp_path):
    with pytest.raises(CalculationError) as caught:
        run_case(
            case({"G": {"energy.diesel": 1}}, method_options={"gwp_set": "ipcc_ar9_gwp100"}),
            tmp_path,
        )
    text = str(caught.value)
    assert "method set 'cn-default' names gwp_set 'ipcc_ar9_gwp100'" in text
    assert "ipcc_ar6_gwp100" in text  # the known ones are listed


def test_a_factor_that_changes_within_the_year_is_noted_on_a_yearly_grid(tmp_path):
    factors = (
        "  - {key: grid.electricity, value: 0.8, unit: tCO2e/MWh, confidence: M,\n"
        "     valid_from: 2024-01-01, valid_to: 2024-07-01}\n"
        "  - {key: grid.electricity, value: 0.2, unit: tCO2e/MWh, confidence: M,\n"
        "     valid_from: 2024-07-01, valid_to: 2025-01-01}\n"
    )
    results, _ = with_factor_file(
        tmp_path, factors, {"G": {"energy.purchased_electricity": 1000}}, ("2023", "2024")
    )
    # the value holding on 31 December stands for the year, and the note says so
    assert results.value("ghg.scope2_location", "G", "2024") == pytest.approx(200)
    notes = [d for d in results.diagnostics if "changes within the period" in d.message]
    assert [(d.indicator, d.period) for d in notes] == [("ghg.scope2_location", "2024")]
    assert "on 2024-07-01" in notes[0].message and "(0.2 tCO2e/MWh)" in notes[0].message
    assert explain(results, "ghg.scope2_location", "G", "2024").notes == [notes[0].message]
    assert explain(results, "ghg.scope2_location", "G", "2023").notes == []


def test_a_scope3_factor_missing_for_some_reporting_entities_names_them(tmp_path):
    entities = [
        {"code": "G", "kind": "group"},
        {"code": "A", "parent": "G", "grid_region": "national"},
        {"code": "B", "parent": "G", "grid_region": "national"},
    ]
    factors = "  - {key: scope3_ef.cat4.tkm, value: 0.0001, unit: tCO2e/(t*km), confidence: M}\n"
    inputs = {
        "A": {"scope3.cat4_upstream_transport": 1000},
        "B": {"scope3.cat4_upstream_transport": 500},
    }
    with pytest.raises(CalculationError) as caught:
        with_factor_file(tmp_path, factors, inputs, entities=entities, scope="{entities: [A]}")
    text = str(caught.value)
    assert "scope3.cat4_upstream_transport is reported for B 2024" in text
    assert "no factor 'scope3_ef.cat4.tkm' (tCO2e/(t*km)) covers them" in text
    results, _ = with_factor_file(tmp_path, factors, inputs, entities=entities)
    assert results.value("ghg.scope3_cat4", "group", "2024") == pytest.approx(0.15)


def test_an_optional_scope3_factor_given_for_some_entities_counts_there_and_notes_the_rest(
    tmp_path,
):
    entities = [
        {"code": "G", "kind": "group"},
        {"code": "A", "parent": "G", "grid_region": "national"},
        {"code": "B", "parent": "G", "grid_region": "national"},
    ]
    factors = (
        "  - {key: scope3_ef.cat7.per_employee, value: 0.5, unit: tCO2e/person, confidence: M}\n"
    )
    inputs = {"A": {"hr.headcount_total": 100}, "B": {"hr.headcount_total": 40}}
    results, _ = with_factor_file(
        tmp_path, factors, inputs, entities=entities, scope="{entities: [A]}"
    )
    assert results.value("ghg.scope3_cat7", "group", "2024") == pytest.approx(50)
    tree = explain(results, "ghg.scope3_cat7", "B", "2024")
    assert tree.notes == [
        "hr.headcount_total not counted: no factor 'scope3_ef.cat7.per_employee' given for "
        "this entity and year"
    ]
    assert explain(results, "ghg.scope3_cat7", "A", "2024").notes == []
    assert explain(results, "ghg.scope3_cat7", "group", "2024").notes == [f"B: {tree.notes[0]}"]


def test_a_year_of_months_and_a_whole_year_value_lists_both_as_its_parts(tmp_path):
    # electricity by month, steam for the whole year: Scope 2 of the year adds both
    inputs = {
        "G": {
            "energy.purchased_electricity": {"2024-01": 400, "2024-02": 600},
            "energy.purchased_steam": {"2024": 1000},
        }
    }
    results = run_case(case(inputs), tmp_path)
    tree = explain(results, "ghg.scope2_location", "G", "2024")
    labels = [part["label"] for part in tree.parts]
    assert labels == ["2024-01", "2024-02", "2024 (reported for the whole year)"]
    assert tree.value == pytest.approx(sum(part["value"] for part in tree.parts))
    whole_year = tree.children[-1]
    assert (whole_year.period, whole_year.recipe) == ("2024", "method")
    assert {f.key for f in whole_year.factors} >= {"ef_co2.purchased_heat"}
    # the steam is not spread over the months
    assert np.isnan(results.value("energy.purchased_steam", "G", "2024-01"))
    assert results.value("energy.purchased_steam", "G", "2024") == 1000


def test_the_change_against_the_prior_year_compares_years_and_same_months(tmp_path):
    # 1 t diesel (1.4571 tce) over 1 tREO in January 2023, over 2 tREO in January 2024:
    # 1,457.1 then 728.55 kgce/tREO, a change of -50 % for the month and for the year
    inputs = {
        "A": {
            "energy.diesel": {"2023-01": 1, "2024-01": 1},
            "production.reo_output": {"2023-01": 1, "2024-01": 2},
        }
    }
    entities = [
        {"code": "G", "kind": "group"},
        {"code": "A", "parent": "G", "tags": ["key-entity"]},
    ]
    results = run_case(case(inputs, periods=[2023, 2024], entities=entities), tmp_path)
    change, key = "energy.intensity_key_entities_yoy", "tag:key-entity"
    assert results.value(change, key, "2024") == pytest.approx(-50.0)
    assert results.value(change, key, "2024-01") == pytest.approx(-50.0)
    assert np.isnan(results.value(change, key, "2023"))
