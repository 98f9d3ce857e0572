"""A method reads only the inputs it declares: anything else is a defect, raised at once."""

from __future__ import annotations

from dataclasses import replace

import pytest

from esgledger.engine import registry
from esgledger.engine.context import MethodContext
from esgledger.engine.lineage import Node
from esgledger.errors import ErrorKind, EsgError
from tests.engine.harness import run_case

DIESEL_ONLY = {
    "name": "t",
    "period": 2024,
    "entities": [{"code": "G", "kind": "group"}],
    "input": {"G": {"energy.diesel": 10, "energy.gasoline": 5}},
}


def context_reading(tmp_path, declared: tuple[str, ...]) -> MethodContext:
    state = run_case(DIESEL_ONLY, tmp_path).entities
    node = Node("ghg.scope1_mobile_combustion", "method", "test", declared)
    return MethodContext(state, node)


def test_a_declared_input_is_read(tmp_path):
    ctx = context_reading(tmp_path, ("energy.diesel",))
    assert ctx.amount("energy.diesel", "t")[0, 0] == pytest.approx(10)
    assert ctx.value("energy.diesel")[0, 0] == pytest.approx(10)


@pytest.mark.parametrize("read", ["amount", "value"])
def test_an_undeclared_input_raises_a_bug_naming_method_and_input(tmp_path, read):
    ctx = context_reading(tmp_path, ("energy.diesel",))
    with pytest.raises(EsgError) as caught:
        getattr(ctx, read)("energy.fuel_oil_undeclared", "t")
    assert caught.value.kind is ErrorKind.BUG
    assert "ghg.scope1_mobile_combustion" in caught.value.message
    assert "'energy.fuel_oil_undeclared'" in caught.value.message
    assert ("energy.fuel_oil_undeclared", "t") not in ctx.state._amounts  # nothing cached


def test_a_shipped_method_that_forgets_a_read_fails_the_calculation(tmp_path, monkeypatch):
    # tamper with a real registration: the mobile-combustion method no longer declares
    # gasoline, which it still reads; the calculation must stop, not count it as 0
    name = "ghg.scope1_mobile_combustion"
    registered = registry.methods()
    real = registered[name]
    reads = tuple(r for r in real.item.reads if r != "energy.gasoline")
    monkeypatch.setitem(registered, name, replace(real, item=replace(real.item, reads=reads)))
    with pytest.raises(EsgError) as caught:
        run_case(DIESEL_ONLY, tmp_path)
    assert caught.value.kind is ErrorKind.BUG
    assert name in caught.value.message and "'energy.gasoline'" in caught.value.message
