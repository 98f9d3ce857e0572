"""Turn pydantic's validation errors into catalog problems a YAML author can act on.

Pydantic's own text ("Extra inputs are not permitted", a loc tuple, a URL) is written for
Python programmers. Catalog authors edit YAML, so each error is rewritten as: which file
and line, which indicator and field, what was expected, what was found, what to do.
"""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel, ValidationError

from esgledger.catalog.errors import problem
from esgledger.catalog.model import FrameworkCodes, IndicatorRuleError, Names, Ratio
from esgledger.catalog.source import Entry
from esgledger.errors import Problem

_NESTED: dict[str, type[BaseModel]] = {"name": Names, "frameworks": FrameworkCodes, "ratio": Ratio}


def problems_from(exc: ValidationError, entry: Entry, model: type[BaseModel]) -> list[Problem]:
    """One problem per pydantic error of ``entry`` validated as ``model``."""
    subject = _subject(entry.data)
    return [_problem(error, entry, subject, model) for error in exc.errors()]


def _subject(data: Any) -> str:
    """How a message names the entry: by its id when it has a usable one."""
    if isinstance(data, dict) and isinstance(data.get("id"), str):
        return f"indicator {data['id']!r}"
    if isinstance(data, dict) and isinstance(data.get("code"), str):
        return f"item {data['code']!r}"
    return "this entry"


def _problem(error: Any, entry: Entry, subject: str, model: type[BaseModel]) -> Problem:
    field = ".".join(str(part) for part in error["loc"])
    cause = error.get("ctx", {}).get("error")
    if isinstance(cause, IndicatorRuleError):
        field = cause.field
        reason, fix = f"{subject}, field {field!r}: {cause.reason}", cause.fix
    else:
        reason, fix = _explain(error, field, subject, model)
    shown = _shown(error.get("input")) if error["type"] != "missing" else None
    return problem(entry.location(field), reason, fix, shown)


def _explain(error: Any, field: str, subject: str, model: type[BaseModel]) -> tuple[str, str]:
    kind = error["type"]
    if kind == "extra_forbidden":
        known = _known_fields(field, model)
        close = difflib.get_close_matches(field.split(".")[-1], known, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        return (
            f"{subject}: unknown field {field!r}",
            f"{hint}Remove it or use one of: {', '.join(known)}",
        )
    if kind == "missing":
        return f"{subject}: field {field!r} is missing", _missing_fix(field)
    if kind == "enum":
        return (
            f"{subject}, field {field!r}: expected {error['ctx']['expected']}",
            "use one of those",
        )
    return f"{subject}, field {field!r}: {_lower_first(error['msg'])}", "correct the value"


def _missing_fix(field: str) -> str:
    if field.startswith("name"):
        return (
            "add name: {en: ..., zh: ...} with the Chinese term Chinese ESG reports use "
            "(e.g. {en: Purchased electricity, zh: 外购电力})"
        )
    return "add it; every entry in esgledger/catalog/data/*.yaml shows the fields"


def _known_fields(field: str, model: type[BaseModel]) -> list[str]:
    parent = field.split(".")[0] if "." in field else ""
    owner = _NESTED.get(parent, model)
    return [info.alias or name for name, info in owner.model_fields.items()]


def _shown(value: Any) -> str | None:
    """Scalars are worth quoting in a message; whole mappings are not."""
    if isinstance(value, str | int | float | bool):
        return str(value)
    return None


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
