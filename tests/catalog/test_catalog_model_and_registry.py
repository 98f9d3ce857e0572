"""Indicators on their own, and looking them up in a loaded catalog."""

from __future__ import annotations

import doctest

import pytest
from pydantic import ValidationError

from esgledger.catalog import Catalog, Indicator, formula, graph, registry
from esgledger.catalog.formula import FormulaError, referenced_ids
from esgledger.errors import NotFoundError

BASE = {
    "id": "acme.site_power",
    "name": {"en": "Site power", "zh": "厂区用电量"},
    "unit": "MWh",
    "category": "E",
    "kind": "input",
    "quantity_type": "flow",
    "aggregation": "sum",
    "frequency": "monthly",
    "definition": "Electricity metered at the Acme site.",
}


def indicator(**changes: object) -> Indicator:
    return Indicator.model_validate(BASE | changes)


def test_an_indicator_names_itself_in_english_and_chinese() -> None:
    site_power = indicator()
    assert site_power.name() == "Site power"
    assert site_power.name("zh-CN") == "厂区用电量"
    with pytest.raises(NotFoundError, match="names exist in 'en' and 'zh'"):
        site_power.name("fr")


def test_a_name_in_an_unknown_language_is_refused_in_the_readers_language() -> None:
    with pytest.raises(NotFoundError) as caught:
        indicator().name("fr")
    assert caught.value.code == "catalog.no_language"
    assert caught.value.render("zh") == "没有 'fr' 语言的名称；名称只有 'en' 和 'zh' 两种"


def test_an_indicator_cannot_be_changed_after_loading() -> None:
    with pytest.raises(ValidationError):
        indicator().unit = "kWh"  # type: ignore[misc]


@pytest.mark.parametrize("bad_id", ["Energy.gas", "energy", "energy..gas", "1energy.gas"])
def test_ids_have_a_lower_case_topic_and_name(bad_id: str) -> None:
    with pytest.raises(ValidationError, match="is not an indicator id"):
        indicator(id=bad_id)


def test_dependencies_follow_the_recipe() -> None:
    ratio = {"numerator": "acme.boiler_power", "denominator": "production.reo_output"}
    derived = {"kind": "derived", "quantity_type": "stock"}
    assert indicator(**derived, aggregation="ratio", unit="MWh/tREO", ratio=ratio).dependencies == (
        "acme.boiler_power",
        "production.reo_output",
    )
    assert indicator(**derived, adds=["a.b", "c.d"]).dependencies == ("a.b", "c.d")
    assert indicator(**derived, formula="(a.b - c.d) * 2 / a.b").dependencies == ("a.b", "c.d")
    assert indicator(**derived, method="acme.computed").dependencies == ()


@pytest.mark.parametrize(
    "text", ["os.system('x')", "a.b if c.d else e.f", "a.b ** 2", "total + 1", "a.b[0]"]
)
def test_formulas_are_arithmetic_over_ids_only(text: str) -> None:
    with pytest.raises(FormulaError):
        referenced_ids(text)


def test_an_unknown_indicator_suggests_close_ids(catalog: Catalog) -> None:
    with pytest.raises(NotFoundError, match=r"did you mean energy\.natural_gas"):
        catalog.get("energy.natual_gas")


def test_an_unknown_topic_suggests_close_topics(catalog: Catalog) -> None:
    with pytest.raises(NotFoundError, match="did you mean energy"):
        catalog.by_topic("energi")


def test_inputs_and_derived_partition_the_catalog(catalog: Catalog) -> None:
    assert len(catalog.inputs()) + len(catalog.derived()) == len(catalog)
    assert all(ind.topic == "energy" for ind in catalog.by_topic("energy"))


def test_dependencies_and_dependents_are_inverse(catalog: Catalog) -> None:
    assert catalog.dependencies("energy.intensity_per_treo") == (
        "energy.total",
        "production.reo_output",
    )
    assert "energy.intensity_per_treo" in catalog.dependents("production.reo_output")


def test_evaluation_order_puts_every_indicator_after_its_dependencies(catalog: Catalog) -> None:
    position = {id_: n for n, id_ in enumerate(catalog.evaluation_order())}
    assert len(position) == len(catalog)
    late = [(ind.id, dep) for ind in catalog for dep in ind.dependencies
            if position[dep] > position[ind.id]]  # fmt: skip
    assert late == []


def test_framework_items_and_the_indicators_mapped_to_them(catalog: Catalog) -> None:
    sasac = catalog.framework_items("sasac")
    assert sasac[0].code == "E.1.1.1"
    assert "energy.intensity_per_treo" in [i.id for i in catalog.indicators_for("sasac", "E.1.3.5")]
    gri = {item.code: item for item in catalog.framework_items("gri")}
    assert gri["302-1"].title("zh") == "组织内部的能源消耗量"
    with pytest.raises(NotFoundError, match="no framework 'esrs'"):
        catalog.framework_items("esrs")


@pytest.mark.parametrize("module", [formula, graph, registry])
def test_docstring_examples_hold(module) -> None:
    failures, _ = doctest.testmod(module)
    assert failures == 0


def test_package_docstring_example_holds() -> None:
    import esgledger.catalog

    failures, _ = doctest.testmod(esgledger.catalog)
    assert failures == 0
