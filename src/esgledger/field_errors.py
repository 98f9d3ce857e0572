"""Pydantic's field errors as coded problems, and the headers of a refused file.

Pydantic writes its messages ("Input should be a valid integer") for Python programmers and
in English only. Each of its error types that a YAML or CSV author meets becomes a code of
``field.<type>`` with the field and what was expected as parameters, so the same problem
reads in English on the command line and in Chinese on a Chinese page. A type without a
text of its own keeps pydantic's words inside a translated frame (``field.invalid``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from esgledger.errors import Location, Problem, texts

# pydantic context fields a text may name: {expected}, {gt}, {ge}, {lt}, {le}, {min_length} ...
_CONTEXT = ("expected", "gt", "ge", "lt", "le", "min_length", "max_length", "pattern")


def field_code(kind: str) -> str:
    """The code of a pydantic error type; ``field.invalid`` for one without its own text."""
    code = f"field.{kind}"
    return code if f"{code}.reason" in texts("en") else "field.invalid"


def field_problem(
    location: Location, error: Mapping[str, Any], value: object = None, *, field: str = ""
) -> Problem:
    """The problem of one pydantic error at ``location``; ``field`` names it (its loc else)."""
    named = field or ".".join(str(part) for part in error.get("loc", ()))
    context = error.get("ctx") or {}
    params: dict[str, object] = {name: str(context[name]) for name in _CONTEXT if name in context}
    if "expected" in params:  # "'a', 'b' or 'c'": alternatives, joined in the reader's language
        params["expected"] = tuple(str(params["expected"]).replace(" or ", ", ").split(", "))
    detail = str(context.get("error") or error.get("msg", "")).removeprefix("Value error, ")
    shown = None if value is None or error.get("type") == "missing" else str(value)
    return Problem.coded(
        location,
        shown,
        field_code(str(error.get("type", ""))),
        field=named,
        detail=detail,
        **{"expected": "", **params},
    )
