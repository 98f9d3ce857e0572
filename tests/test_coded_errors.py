"""No user-facing error is raised with an English literal for its message.

An :class:`EsgError` (or a subclass) built from a string or f-string, without a ``code=``,
reads in English on a Chinese page; so does a :class:`Problem` built from literal reason and
fix, or from a reason and fix a helper wrote (``Problem(where, value, reason, fix)``: the
scan cannot see where the text came from, so any Problem built without a code counts). Each
must be ``.coded(code, **params)`` with its texts in ``errors_text/``. Errors that are
esgledger's own fault (``kind=ErrorKind.BUG``, given to the error or set by its class) are
exempt: they go to a log, not a user.

``uncoded_errors.txt`` lists the modules not yet converted, with how many such errors each
still raises; the count may only fall (lower it when you convert one), and a module not
listed may raise none.
"""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import esgledger

SOURCE = Path(esgledger.__file__).parent
BASELINE = Path(__file__).with_name("uncoded_errors.txt")


def error_classes(trees: dict[Path, ast.Module]) -> set[str]:
    """``EsgError`` and every class of the source derived from it, by name."""
    return _with_derived(trees, {"EsgError"})


def bug_classes(trees: dict[Path, ast.Module], classes: set[str]) -> set[str]:
    """The error classes whose body sets ``kind = ErrorKind.BUG``, and those derived from them."""
    names = {
        node.name
        for tree in trees.values()
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef) and node.name in classes and _sets_bug(node)
    }
    return _with_derived(trees, names)


def _with_derived(trees: dict[Path, ast.Module], names: set[str]) -> set[str]:
    """``names`` and every class of the source derived from one of them, by name."""
    names, grown = set(names), True
    while grown:
        grown = False
        for tree in trees.values():
            for node in ast.walk(tree):
                if _derived(node, names):
                    names.add(node.name)
                    grown = True
    return names


def _sets_bug(node: ast.ClassDef) -> bool:
    return any(
        isinstance(statement, ast.Assign | ast.AnnAssign)
        and "kind" in [_name(target) for target in _targets(statement)]
        and statement.value is not None
        and ast.unparse(statement.value).endswith("BUG")
        for statement in node.body
    )


def _targets(statement: ast.Assign | ast.AnnAssign) -> list[ast.expr]:
    return statement.targets if isinstance(statement, ast.Assign) else [statement.target]


def _derived(node: ast.AST, names: set[str]) -> bool:
    return (
        isinstance(node, ast.ClassDef)
        and node.name not in names
        and any(_name(base) in names for base in node.bases)
    )


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    return node.attr if isinstance(node, ast.Attribute) else None


def _literal(node: ast.expr | None) -> bool:
    """Text written in the source: a string, an f-string, or one glued to another."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and node.value != ""
    if isinstance(node, ast.JoinedStr):
        return True
    return isinstance(node, ast.BinOp) and (_literal(node.left) or _literal(node.right))


def _uncoded(call: ast.Call, classes: set[str], bugs: frozenset[str] = frozenset()) -> bool:
    keywords = {k.arg: k.value for k in call.keywords}
    if "code" in keywords or ast.unparse(keywords.get("kind", ast.Constant(""))).endswith("BUG"):
        return False
    name = _name(call.func)
    if name in bugs:
        return False
    if name in classes:
        return _literal(call.args[0] if call.args else keywords.get("message"))
    if name == "Problem":  # its reason and fix are text whatever their source, unless coded
        return len(call.args) < 5
    return False


def uncoded(source: Path) -> Counter[str]:
    """``module -> how many`` errors the source raises with a literal message."""
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in source.rglob("*.py")}
    classes = error_classes(trees)
    bugs = frozenset(bug_classes(trees, classes))
    found: Counter[str] = Counter()
    for path, tree in trees.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _uncoded(node, classes, bugs):
                found[path.relative_to(source).as_posix()] += 1
    return found


def baseline() -> Counter[str]:
    lines = BASELINE.read_text(encoding="utf-8").splitlines()
    pairs = (line.split(":") for line in lines if line.strip() and not line.startswith("#"))
    return Counter({module.strip(): int(count) for module, count in pairs})


def over_baseline(found: Counter[str], allowed: Counter[str]) -> dict[str, tuple[int, int]]:
    """``module -> (found, allowed)`` wherever the two differ."""
    return {
        module: (found[module], allowed[module])
        for module in sorted(set(found) | set(allowed))
        if found[module] != allowed[module]
    }


def test_no_module_raises_more_uncoded_errors_than_listed():
    assert over_baseline(uncoded(SOURCE), baseline()) == {}


def test_an_uncoded_error_is_found(tmp_path):
    (tmp_path / "errors.py").write_text("class EsgError(Exception): ...\n", encoding="utf-8")
    (tmp_path / "new.py").write_text(
        "class OrgError(EsgError): ...\n"
        "def f(path):\n"
        "    raise OrgError(f'{path}: no such file')\n"
        "def g(where):\n"
        "    return Problem(where, None, 'the cell is empty', 'Fill it in.')\n"
        "def h(path):\n"
        "    raise OrgError.coded('organisation.no_file', path=path)\n"
        "def i():\n"
        "    raise EsgError('worker died', kind=ErrorKind.BUG)\n"
        "def j(where, reason, fix):\n"
        "    return Problem(where, None, reason, fix)\n"
        "def k(where, code):\n"
        "    return Problem(where, None, 'x', 'y', code=code)\n"
        "class ShippedDataError(EsgError):\n"
        "    kind = ErrorKind.BUG\n"
        "class ShippedTableError(ShippedDataError): ...\n"
        "def m():\n"
        "    raise ShippedDataError('data/org.yaml names no root')\n"
        "    raise ShippedTableError('data/org.yaml has no table')\n",
        encoding="utf-8",
    )
    assert uncoded(tmp_path) == Counter({"new.py": 3})
    assert over_baseline(Counter({"new.py": 3}), Counter()) == {"new.py": (3, 0)}
