"""The small expression language of derived indicators.

A ``formula`` is arithmetic over indicator ids and numbers: ``+ - * /``, unary minus and
parentheses, e.g. ``"water.fresh_withdrawal - wastewater.total_discharge"``. Nothing else
is allowed (no calls, no comparisons, no names without a topic), so a catalog file can
never run code. The catalog needs the ids a formula reads, to check that they exist and
to order the computation; the engine evaluates the same checked tree.
"""

from __future__ import annotations

import ast

_BINARY = (ast.Add, ast.Sub, ast.Mult, ast.Div)
_UNARY = (ast.UAdd, ast.USub)


class FormulaError(ValueError):
    """A formula that is not plain arithmetic over indicator ids and numbers."""


def parse_formula(text: str) -> tuple[ast.Expression, tuple[str, ...]]:
    """Parse ``text`` and return its tree with the indicator ids it reads.

    Raises:
        FormulaError: the text does not parse, or uses something other than ids,
            numbers, ``+ - * /`` and parentheses.
    """
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise FormulaError(f"formula {text!r} does not parse ({exc.msg})") from exc
    found: list[str] = []
    _collect(tree.body, text, found)
    return tree, tuple(found)


def referenced_ids(text: str) -> tuple[str, ...]:
    """The indicator ids a formula reads, in order of first appearance.

    >>> referenced_ids("(energy.total - energy.fossil_total) * 100 / energy.total")
    ('energy.total', 'energy.fossil_total')
    """
    return parse_formula(text)[1]


def dotted_name(node: ast.AST) -> str | None:
    """``a.b.c`` for an attribute chain that starts at a bare name, else None."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def _collect(node: ast.AST, text: str, found: list[str]) -> None:
    """Walk the tree depth first, refusing any node the language does not have."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, _BINARY):
        _collect(node.left, text, found)
        _collect(node.right, text, found)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, _UNARY):
        _collect(node.operand, text, found)
    elif isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return
    elif isinstance(node, ast.Attribute) and (name := dotted_name(node)):
        if name not in found:
            found.append(name)
    elif isinstance(node, ast.Name):
        raise FormulaError(
            f"formula {text!r} uses {node.id!r}, which is not an indicator id "
            "(an id has a topic and a name, like energy.total)"
        )
    else:
        raise FormulaError(
            f"formula {text!r} uses {type(node).__name__} syntax; only indicator ids, "
            "numbers, + - * / and parentheses are allowed"
        )
