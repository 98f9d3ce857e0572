"""A plugin ships a factor set and a method set naming it; clashes name the plugin."""

from __future__ import annotations

from pathlib import Path

import pytest

from esgledger.catalog import load_catalog
from esgledger.engine.methodset import get_method_sets, registered_method_sets
from esgledger.engine.run import calculate
from esgledger.errors import NotFoundError
from esgledger.factors import factor_set_plugins, load_factor_sets, shipped_factor_sets
from esgledger.plugins import PluginError, hookimpl, unregister
from tests.engine.harness import observations_of, org_of
from tests.plugins import acme_factors

ENTITIES = [{"code": "G", "kind": "group", "grid_region": "national"}]


def scope2(method_set: str) -> float:
    results = calculate(
        observations_of({"G": {"energy.purchased_electricity": 1000}}, "2024"),
        org_of(ENTITIES),
        load_catalog(),
        load_factor_sets(),
        get_method_sets(method_set)[0],
        ["2024"],
    )
    return results.value("ghg.scope2_location", "G", "2024")


def test_a_plugin_factor_set_prices_a_real_calculation(install):
    install(acme_factors)
    # 1,000 MWh × 0.4 tCO2/MWh (acme_grid) = 400 tCO2; the MEE reporting factor gives 570.3
    assert scope2("acme-ppa") == pytest.approx(400.0)
    assert scope2("cn-carbon-market") == pytest.approx(570.3)
    assert factor_set_plugins()["acme_grid"] == "tests.plugins.acme_factors"
    assert registered_method_sets()["acme-ppa"].plugin == "tests.plugins.acme_factors"


def test_the_plugin_factor_set_goes_with_the_plugin(install):
    name = install(acme_factors)
    assert "acme_grid" in {s.name for s in shipped_factor_sets()}
    unregister(name)
    assert "acme_grid" not in {s.name for s in shipped_factor_sets()}
    with pytest.raises(NotFoundError, match="no method set 'acme-ppa'"):
        get_method_sets("acme-ppa")


class ShipsAShippedDataset:
    """A copy of the MEE grid dataset under its own name: it would shadow esgledger's."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "cn_grid_mee.yaml"
        self.path.write_text(
            (Path(__file__).parent / "acme_factors" / "acme_grid.yaml")
            .read_text(encoding="utf-8")
            .replace("name: acme_grid", "name: cn_grid_mee"),
            encoding="utf-8",
        )

    @hookimpl
    def esgledger_factor_sets(self) -> list[Path]:
        return [self.path]


class NamesAShippedMethodSet:
    @hookimpl
    def esgledger_method_sets(self) -> list[Path]:
        return [Path(__file__).parent / "cn_default_again.yaml"]


def test_a_plugin_dataset_named_like_a_shipped_one_is_refused_naming_it(install, tmp_path):
    install(ShipsAShippedDataset(tmp_path), name="shadowing-factors")
    with pytest.raises(PluginError) as caught:
        shipped_factor_sets()
    message = caught.value.message
    assert "plugin 'shadowing-factors' declares 'cn_grid_mee'" in message
    assert "'esgledger.factors.shipped' declared already" in message


def test_a_plugin_method_set_named_like_a_shipped_one_is_refused_naming_it(install):
    install(NamesAShippedMethodSet(), name="shadowing-methods")
    with pytest.raises(PluginError) as caught:
        get_method_sets("cn-default")
    assert "plugin 'shadowing-methods' declares 'cn-default'" in caught.value.message
