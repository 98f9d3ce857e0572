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
from esgledger.errors import Joined, Phrase, Problem
from esgledger.field_errors import field_code, field_params

_NESTED: dict[str, type[BaseModel]] = {"name": Names, "frameworks": FrameworkCodes, "ratio": Ratio}


def problems_from(exc: ValidationError, entry: Entry, model: type[BaseModel]) -> list[Problem]:
    """One problem per pydantic error of ``entry`` validated as ``model``."""
    subject = _subject(entry.data)
    return [_problem(error, entry, subject, model) for error in exc.errors()]


def _subject(data: Any) -> Phrase:
    """How a message names the entry: by its id when it has a usable one."""
    if isinstance(data, dict) and isinstance(data.get("id"), str):
        return Phrase.of("catalog.subject.indicator", id=data["id"])
    if isinstance(data, dict) and isinstance(data.get("code"), str):
        return Phrase.of("catalog.subject.item", code=data["code"])
    return Phrase.of("catalog.subject.entry")


def _problem(error: Any, entry: Entry, subject: Phrase, model: type[BaseModel]) -> Problem:
    field = ".".join(str(part) for part in error["loc"])
    cause = error.get("ctx", {}).get("error")
    if isinstance(cause, IndicatorRuleError):
        field = cause.field
        code, params = "catalog.entry.rule", _rule(cause, subject)
    else:
        code, params = _explain(error, field, subject, model)
    shown = _shown(error.get("input")) if error["type"] != "missing" else None
    return problem(entry.location(field), code, shown, **params)


def _rule(cause: IndicatorRuleError, subject: Phrase) -> dict[str, object]:
    return {
        "subject": subject,
        "field": cause.field,
        "reason": Phrase.of(f"{cause.code}.reason", **cause.params),
        "fix": Phrase.of(f"{cause.code}.fix", **cause.params),
    }


def _explain(
    error: Any, field: str, subject: Phrase, model: type[BaseModel]
) -> tuple[str, dict[str, object]]:
    """The code of the problem and its parameters."""
    kind = error["type"]
    params: dict[str, object] = {"subject": subject, "field": field}
    if kind == "extra_forbidden":
        known = _known_fields(field, model)
        close = difflib.get_close_matches(field.split(".")[-1], known, n=1)
        guess = Phrase.of("catalog.guess_field", name=close[0]) if close else ""
        return "catalog.entry.unknown_field", {
            **params,
            "guess": guess,
            "known": Joined(tuple(known)),
        }
    if kind == "missing":
        code = "catalog.entry.missing_name" if field.startswith("name") else "catalog.entry.missing"
        return code, params
    if kind == "enum":
        return "catalog.entry.enum", {**params, "expected": field_params(error)["expected"]}
    expected = field_code(str(kind))
    if expected != "field.invalid":  # the shared text of pydantic's error type
        detail: object = Phrase.of(f"{expected}.reason", **{**field_params(error), **params})
    else:
        detail = _lower_first(error["msg"])
    return "catalog.entry.invalid", {**params, "detail": detail}


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
