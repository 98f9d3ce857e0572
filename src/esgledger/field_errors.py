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

from pydantic_core import PydanticCustomError

from esgledger.errors import DEFAULT_LANGUAGE, Location, Phrase, Problem, render, texts

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
    detail = str(context.get("error") or error.get("msg", "")).removeprefix("Value error, ")
    shown = None if value is None or error.get("type") == "missing" else str(value)
    return Problem.coded(
        location,
        shown,
        field_code(str(error.get("type", ""))),
        field=named,
        detail=detail,
        **field_params(error),
    )


def field_params(error: Mapping[str, Any]) -> dict[str, object]:
    """The parameters a ``field.<type>`` text may name, from pydantic's context of ``error``."""
    context = error.get("ctx") or {}
    params: dict[str, object] = {name: str(context[name]) for name in _CONTEXT if name in context}
    if "expected" in params:  # "'a', 'b' or 'c'": alternatives, joined in the reader's language
        params["expected"] = tuple(str(params["expected"]).replace(" or ", ", ").split(", "))
    return {"expected": "", **params}


class CodedValueError(ValueError):
    """A validator's refusal worded in the catalogue (``code`` and ``params``).

    Pydantic hands the exception on in its error's context, so a loader can show the text
    in the reader's language; anything else reads its English message.
    """

    def __init__(self, code: str, /, **params: object) -> None:
        super().__init__(render(code, DEFAULT_LANGUAGE, **params))
        self.phrase = Phrase.of(code, **params)


def coded_refusal(code: str, /, **params: object) -> PydanticCustomError:
    """A validator's refusal that is a whole problem: ``<code>.reason`` and ``<code>.fix``."""
    reason = render(f"{code}.reason", DEFAULT_LANGUAGE, **params)
    return PydanticCustomError(
        "coded", "{reason}", {"reason": reason, "code": code, "params": params}
    )
