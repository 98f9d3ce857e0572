"""Dependencies point inward: the import-linter contracts in pyproject.toml hold, and the
ledger's and the engine's doorways fail when a module walks around them."""

from __future__ import annotations

import ast
import json
import tomllib
from pathlib import Path

import pytest
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[1]


def test_layers_and_forbidden_imports_hold(monkeypatch):
    monkeypatch.chdir(ROOT)
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == 0


SCHEMA_CONTRACT = "Only the ledger (and auth, which shares its Base) imports the ledger's tables"
ENGINE_CONTRACT = "Ledger figures reach the engine through the calculation service (calc.service)"


def _contract(name: str) -> dict:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    found = [c for c in config["tool"]["importlinter"]["contracts"] if c["name"] == name]
    assert len(found) == 1, name
    return found[0]


def _lint_copy(tmp_path: Path, monkeypatch, contract: dict, modules: dict[str, str]) -> int:
    """Lint a synthetic package ``shadow`` shaped like esgledger with ``contract`` renamed.

    ``modules`` maps dotted names (under ``shadow``) to their source; every package the
    contract names exists, so the contract is checked exactly as pyproject.toml states it.
    """
    tmp_path.mkdir()
    renamed = json.loads(json.dumps(contract).replace("esgledger", "shadow"))
    names = [*renamed["source_modules"], *renamed["forbidden_modules"], *modules]
    for dotted in names:
        parts = dotted.split(".")
        for depth in range(1, len(parts)):
            package = tmp_path.joinpath(*parts[:depth])
            package.mkdir(exist_ok=True)
            (package / "__init__.py").touch()
        leaf = tmp_path.joinpath(*parts)
        if dotted not in modules and not leaf.with_suffix(".py").exists():
            leaf.mkdir(exist_ok=True)
            (leaf / "__init__.py").touch()
    for dotted, source in modules.items():
        tmp_path.joinpath(*dotted.split(".")).with_suffix(".py").write_text(source)
    config = tmp_path / "contracts.toml"
    lines = ['[tool.importlinter]\nroot_package = "shadow"\n\n[[tool.importlinter.contracts]]']
    lines += [f"{key} = {json.dumps(value)}" for key, value in renamed.items()]
    config.write_text("\n".join(lines) + "\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.chdir(tmp_path)
    return lint_imports(config_filename=str(config), no_cache=True)


@pytest.mark.parametrize("outsider", ["report.lineage", "web.pages", "calc.cache", "cli.audit"])
def test_a_module_outside_ledger_importing_its_tables_breaks_the_contract(
    tmp_path, monkeypatch, outsider
):
    modules = {
        "shadow.ledger.schema": "BASE = object\n",
        "shadow.ledger.reads": "from shadow.ledger.schema import BASE\n",
        "shadow.auth.schema": "from shadow.ledger.schema import BASE\n",
        f"shadow.{outsider}": "from shadow.ledger import reads\n",
    }
    contract = _contract(SCHEMA_CONTRACT)
    assert _lint_copy(tmp_path / "ok", monkeypatch, contract, modules) == 0
    modules[f"shadow.{outsider}"] = "from shadow.ledger.schema import BASE\n"
    assert _lint_copy(tmp_path / "broken", monkeypatch, contract, modules) == 1


def test_a_capability_calling_the_engine_itself_breaks_the_contract(tmp_path, monkeypatch):
    modules = {
        "shadow.engine.run": "def calculate(): ...\n",
        "shadow.calc.service": "from shadow.engine.run import calculate\n",
        "shadow.targets.service": "from shadow.calc import service\n",
    }
    contract = _contract(ENGINE_CONTRACT)
    assert _lint_copy(tmp_path / "ok", monkeypatch, contract, modules) == 0
    modules["shadow.targets.service"] = "from shadow.engine.run import calculate\n"
    assert _lint_copy(tmp_path / "broken", monkeypatch, contract, modules) == 1


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
