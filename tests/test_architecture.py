"""Dependencies point inward: the import-linter contracts in pyproject.toml hold."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import grimp
import pytest
from importlinter import configuration
from importlinter.cli import lint_imports
from importlinter.contracts.forbidden import ForbiddenContract
from importlinter.contracts.layers import LayersContract

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


def contract(kind: type, name_start: str):
    """The contract of pyproject.toml whose name starts with ``name_start``."""
    configuration.configure()
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (found,) = [
        c for c in declared["tool"]["importlinter"]["contracts"] if c["name"].startswith(name_start)
    ]
    options = {
        key: [str(v) for v in value] if isinstance(value, list) else str(value)
        for key, value in found.items()
        if key not in ("name", "type")
    }
    return kind(
        name=found["name"],
        session_options={"root_packages": ["esgledger"]},
        contract_options=options,
    )


@pytest.mark.parametrize(
    ("kind", "name", "importer", "imported"),
    [
        (
            ForbiddenContract,
            "Methods read the accounting",
            "esgledger.engine.methods.combustion",
            "esgledger.engine.arrays.grid",
        ),
        (
            LayersContract,
            "Engine: the methods rest",
            "esgledger.engine.arrays.shares",
            "esgledger.engine.context",
        ),
        (
            ForbiddenContract,
            "Only the ledger",
            "esgledger.report.lineage",
            "esgledger.ledger.schema",
        ),
        (ForbiddenContract, "Only the ledger", "esgledger.web.pages", "esgledger.ledger.schema"),
        (ForbiddenContract, "Only the ledger", "esgledger.calc.cache", "esgledger.ledger.schema"),
        (
            ForbiddenContract,
            "Ledger figures reach",
            "esgledger.targets.service",
            "esgledger.engine.run",
        ),
        (ForbiddenContract, "Ledger figures reach", "esgledger.web.pages", "esgledger.engine.run"),
    ],
)
def test_an_import_across_a_contract_breaks_it(kind, name, importer, imported):
    checked = contract(kind, name)
    graph = grimp.build_graph("esgledger")
    assert checked.check(graph, verbose=False).kept
    graph.add_import(importer=importer, imported=imported)
    assert not checked.check(graph, verbose=False).kept


SQL_BUILDERS = frozenset(
    {"select", "insert", "update", "delete", "text", "func", "table", "column", "literal_column"}
)


def sql_built_outside_the_ledger(package_root: Path) -> list[str]:
    """``file: names`` for each module outside ledger/ and auth/ that imports SQLAlchemy's
    query builders: they read and write through the ledger's functions instead."""
    found = []
    for path in sorted(package_root.rglob("*.py")):
        if path.relative_to(package_root).parts[0] in ("ledger", "auth"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
                names = sorted({alias.name for alias in node.names} & SQL_BUILDERS)
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names if a.name.split(".")[0] == "sqlalchemy"]
            else:
                continue
            if names:
                found.append(f"{path.relative_to(package_root)}: {', '.join(names)}")
    return found


def test_no_module_outside_the_ledger_builds_sql():
    assert sql_built_outside_the_ledger(ROOT / "src" / "esgledger") == []


def test_the_sql_check_names_a_module_that_builds_sql(tmp_path):
    (tmp_path / "ledger").mkdir()
    (tmp_path / "ledger" / "reads.py").write_text("from sqlalchemy import func, select\n")
    (tmp_path / "report").mkdir()
    (tmp_path / "report" / "ok.py").write_text("from sqlalchemy.orm import Session\n")
    (tmp_path / "report" / "sneaky.py").write_text("from sqlalchemy import func, select\n")
    (tmp_path / "report" / "aliased.py").write_text("import sqlalchemy as sa\n")
    assert sql_built_outside_the_ledger(tmp_path) == [
        "report/aliased.py: sqlalchemy",
        "report/sneaky.py: func, select",
    ]
