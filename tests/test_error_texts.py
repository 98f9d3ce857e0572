"""Every coded error has its English and its Chinese text.

A code is any string literal in the source that names catalogue text (``import.value_negative``,
``unit.incompatible``), plus the names built from data: each import check's kind and each
kind of unit. A code is present in a language when the catalogue has its text, or both
its ``.reason`` and ``.fix`` (a Problem's two parts).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import yaml

import esgledger
from esgledger.errors import LANGUAGES, texts
from esgledger.ledger.imports.checks import CHECKS

SOURCE = Path(esgledger.__file__).parent


def namespaces() -> set[str]:
    """The top-level keys of the English catalogue: a literal under one of them is a code."""
    return {code.split(".")[0] for code in texts("en")}


def codes_in(source: Path, spaces: set[str]) -> dict[str, str]:
    """``code -> file`` for every string literal under ``source`` that looks like a code."""
    found = {}
    for path in sorted(source.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            text = node.value if isinstance(node, ast.Constant) else None
            if isinstance(text, str) and _looks_like_code(text, spaces):
                found[text] = str(path.relative_to(source))
    return found


def _looks_like_code(text: str, spaces: set[str]) -> bool:
    head, dot, rest = text.partition(".")
    words = rest.replace("_", "").replace(".", "")
    return bool(dot) and head in spaces and words.isalpha() and not rest.endswith(".")


def codes_from_data() -> set[str]:
    kinds = yaml.safe_load((SOURCE / "unit_kinds.yaml").read_text(encoding="utf-8"))
    return {f"unit_kind.{kind}" for kind in [*kinds, "other"]} | {
        f"import.kind.{check.__name__}" for check in CHECKS
    }


def missing(codes: set[str], table: dict[str, str]) -> list[str]:
    """The codes ``table`` has no text for."""
    has = set(table)
    return sorted(c for c in codes if c not in has and not {f"{c}.reason", f"{c}.fix"} <= has)


def test_the_source_uses_coded_errors_at_all():
    used = codes_in(SOURCE, namespaces())
    assert {"import.unit_incompatible", "unit.incompatible", "import.period_locked"} <= set(used)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_code_in_the_source_has_a_text_in_each_language(lang):
    codes = set(codes_in(SOURCE, namespaces())) | codes_from_data()
    assert missing(codes, texts(lang)) == []


def test_both_catalogues_hold_the_same_codes():
    english, chinese = set(texts("en")), set(texts("zh"))
    assert sorted(english ^ chinese) == []


def test_a_code_without_chinese_text_is_reported(tmp_path):
    (tmp_path / "new_check.py").write_text('CODE = "import.brand_new_rule"\n', encoding="utf-8")
    codes = set(codes_in(tmp_path, namespaces()))
    assert codes == {"import.brand_new_rule"}
    chinese = {k: v for k, v in texts("zh").items() if not k.startswith("import.value_negative")}
    assert missing(codes | {"import.value_negative"}, chinese) == [
        "import.brand_new_rule",
        "import.value_negative",
    ]


def test_a_code_with_a_reason_but_no_fix_is_reported():
    table = {"import.x.reason": "r"}
    assert missing({"import.x"}, table) == ["import.x"]
    assert missing({"import.x"}, {**table, "import.x.fix": "f"}) == []
