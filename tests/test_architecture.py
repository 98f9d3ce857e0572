"""Dependencies point inward: the import-linter contracts in pyproject.toml hold."""

from __future__ import annotations

import ast
from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[1]


def test_layers_and_forbidden_imports_hold(monkeypatch):
    monkeypatch.chdir(ROOT)
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == 0


def reaches_past_the_context(source: str) -> list[int]:
    """Lines where code reads ``<something>.state``: the engine's arrays behind the context."""
    return [
        node.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Attribute) and node.attr == "state"
    ]


def test_methods_read_their_inputs_through_the_context_only():
    methods = ROOT / "src" / "esgledger" / "engine" / "methods"
    found = {
        path.name: lines
        for path in sorted(methods.glob("*.py"))
        if (lines := reaches_past_the_context(path.read_text(encoding="utf-8")))
    }
    assert found == {}


def test_a_method_reaching_into_the_state_is_found():
    assert reaches_past_the_context("def m(ctx):\n    return ctx.state.grid\n") == [2]
