"""A plugin adds a calculation method the catalog names; a broken one is named, not traced."""

from __future__ import annotations

import pytest

from esgledger.catalog import load_catalog
from esgledger.engine.registry import Method, get_method, method, methods
from esgledger.errors import ErrorKind, EsgError
from esgledger.plugins import PluginError, hookimpl, unregister
from tests.engine.harness import observations_of, org_of
from tests.plugins import acme_methods

ENTITIES = [{"code": "G", "kind": "group"}, {"code": "P", "parent": "G"}]


def calculate_pumping(withdrawal_m3: float):
    from esgledger.engine.methodset import get_method_sets
    from esgledger.engine.run import calculate
    from esgledger.factors import load_factor_sets

    return calculate(
        observations_of({"P": {"water.fresh_withdrawal": withdrawal_m3}}, "2024"),
        org_of(ENTITIES),
        load_catalog(),
        load_factor_sets(),
        get_method_sets("cn-default")[0],
        ["2024"],
    )


def test_a_plugin_method_computes_its_indicator_in_a_real_calculation(install):
    install(acme_methods)
    results = calculate_pumping(120_000)
    # 120,000 m3 × 0.5 kWh/m3 = 60,000 kWh = 60 MWh, at the plant and for the group
    assert results.value("acme.pumping_electricity", "P", "2024") == pytest.approx(60.0)
    assert results.value("acme.pumping_electricity", "group", "2024") == pytest.approx(60.0)
    assert methods()["acme.pumping_electricity"].plugin == "tests.plugins.acme_methods"


def test_the_plugin_catalog_file_goes_with_the_plugin(install):
    name = install(acme_methods)
    assert "acme.pumping_electricity" in load_catalog()
    unregister(name)
    assert "acme.pumping_electricity" not in load_catalog()


def test_without_the_plugin_the_catalog_entry_names_an_unknown_method():
    with pytest.raises(EsgError) as caught:
        load_catalog([acme_methods.CATALOG]).get("acme.pumping_electricity")
        get_method("acme.pumping_electricity")
    assert "'acme.pumping_electricity', which is not registered" in caught.value.message
    assert "install the plugin" in caught.value.message


def test_an_unknown_method_reads_in_chinese():
    with pytest.raises(EsgError) as caught:
        get_method("acme.pumping_electricity")
    assert caught.value.code == "calc.unknown_method"
    text = caught.value.render("zh")
    assert text.startswith("指标目录指定了方法 'acme.pumping_electricity'，但该方法未注册")
    assert "ghg.scope2_location_based，" in text and "请检查名称，或安装提供该方法的插件" in text


def test_the_shipped_methods_come_through_the_same_hook():
    assert methods()["ghg.scope2_location_based"].plugin == "esgledger.engine.shipped"
    assert len([n for n in methods() if n.startswith("ghg.scope3_cat")]) >= 8


class TakesAShippedName:
    @hookimpl
    def esgledger_methods(self) -> list[Method]:
        return [method("ghg.scope2_location_based", reads=(), formula="0")(lambda ctx: None)]


class Raises:
    @hookimpl
    def esgledger_methods(self) -> list[Method]:
        raise RuntimeError("the method table is missing")


class ReturnsFunctions:
    @hookimpl
    def esgledger_methods(self) -> list:
        return [print]


@pytest.mark.parametrize(
    ("plugin", "expected", "chinese"),
    [
        (
            TakesAShippedName(),
            "'ghg.scope2_location_based' in esgledger_methods, a name plugin "
            "'esgledger.engine.shipped' declared already",
            "插件 'broken-plugin' 在 esgledger_methods 中声明了 'ghg.scope2_location_based'，"
            "但插件 'esgledger.engine.shipped' 已声明过这个名称",
        ),
        (
            Raises(),
            "failed in esgledger_methods: RuntimeError: the method table is missing",
            "插件 'broken-plugin' 在 esgledger_methods 中出错："
            "RuntimeError: the method table is missing。请修复或更新该插件，或将其卸载",
        ),
        (
            ReturnsFunctions(),
            "must return a list of Method, but it returned a builtin_function_or_method",
            "插件 'broken-plugin'：esgledger_methods 应返回 Method 的列表，"
            "实际返回了 builtin_function_or_method",
        ),
    ],
    ids=["name collision", "hook raises", "wrong type"],
)
def test_a_broken_method_plugin_is_a_message_naming_it(install, plugin, expected, chinese):
    install(plugin, name="broken-plugin")
    with pytest.raises(PluginError) as caught:
        get_method("ghg.scope2_location_based")
    assert caught.value.kind is ErrorKind.USER
    assert "plugin 'broken-plugin'" in caught.value.message
    assert expected in caught.value.message
    assert caught.value.code.startswith("plugin.")
    assert chinese in caught.value.render("zh")


def test_a_hook_function_with_a_wrong_signature_is_refused_at_registration(install):
    class WrongArguments:
        @hookimpl
        def esgledger_methods(self, catalog):
            return []

    with pytest.raises(PluginError) as caught:
        install(WrongArguments(), name="wrong-arguments")
    assert "'wrong-arguments' cannot be registered" in caught.value.message
    assert caught.value.code == "plugin.register"
    assert caught.value.render("zh").startswith("插件 'wrong-arguments' 无法注册：")
